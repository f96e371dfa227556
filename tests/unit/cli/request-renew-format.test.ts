/** What `request renew` prints about its names: kept, from a plan, or a re-planned topology that differs (not used). */
import { describe, expect, it } from 'vitest';
import { renewalNameLines } from '../../../src-main/cli/commands/request-renew.js';
import type { RenewalPreview } from '../../../src-main/common/requests.js';

const base: RenewalPreview = {
  renews: '20260315-aaaaaaaa',
  current: { subject: 'webext.contoso.com', sans: ['webext.contoso.com', 'meet.contoso.com', 'legacy.contoso.com'] },
  planned: null,
  use: 'current',
  planDiffers: false,
  pendingRenewals: [],
};
const planned = {
  subject: 'webext.contoso.com',
  sans: ['webext.contoso.com', 'meet.contoso.com', 'dialin.contoso.com'],
  added: [{ name: 'dialin.contoso.com', reasons: ['dial-in simple URL'] }],
  removed: [{ name: 'legacy.contoso.com', reasons: [] }],
  from: 'request-topology' as const,
  source: 'contoso',
};

describe('request renew: the names lines', () => {
  it('says the names stay when no plan is involved', () => {
    expect(renewalNameLines(base)).toEqual(['Names: the same as the renewed request.']);
  });

  it('lists a differing re-plan as not used, with --replan to use it', () => {
    expect(renewalNameLines({ ...base, planned, planDiffers: true })).toEqual([
      'The plan of the topology kept with request 20260315-aaaaaaaa (contoso) now gives other names than the renewed request has; they are NOT used (run again with --replan to use them):',
      '  + dialin.contoso.com  (dial-in simple URL)',
      '  - legacy.contoso.com',
    ]);
  });

  it('lists the names a stored topology adds and removes, and a changed subject', () => {
    expect(renewalNameLines({ ...base, use: 'planned', planned: { ...planned, subject: 'web.contoso.com', from: 'stored' } })).toEqual([
      'Names from the plan of stored topology contoso:',
      '  subject: webext.contoso.com -> web.contoso.com',
      '  + dialin.contoso.com  (dial-in simple URL)',
      '  - legacy.contoso.com',
    ]);
  });

  it('says when the kept topology agrees, and when it cannot be planned again', () => {
    const same = { ...planned, sans: base.current.sans, added: [], removed: [] };
    expect(renewalNameLines({ ...base, use: 'planned', planned: same })).toEqual(['Names: the same as the renewed request (the plan of the topology kept with request 20260315-aaaaaaaa (contoso) agrees).']);
    expect(renewalNameLines({ ...base, planProblem: 'it is damaged' })).toEqual([
      'Note: the topology kept with request 20260315-aaaaaaaa could not be planned again (it is damaged); the old names are kept.',
      'Names: the same as the renewed request.',
    ]);
  });
});
