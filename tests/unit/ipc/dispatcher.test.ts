import { describe, expect, it, vi } from 'vitest';
import { API_METHODS, type ApiHandlers, type ApiMethod } from '../../../src-main/common/api.js';
import { CertdeskError } from '../../../src-main/common/errors.js';
import { API_SCHEMAS } from '../../../src-main/common/schemas.js';
import { createDispatcher } from '../../../src-main/ipc/dispatcher.js';
import { malformedCases, validSample } from './schema-cases.js';

function spyHandlers(): { handlers: ApiHandlers; calls: Map<string, unknown[]> } {
  const calls = new Map<string, unknown[]>();
  const handlers = Object.fromEntries(
    API_METHODS.map((m) => [
      m,
      (params: unknown) => {
        calls.set(m, [...(calls.get(m) ?? []), params]);
        return Promise.resolve({ echoed: m });
      },
    ]),
  ) as unknown as ApiHandlers;
  return { handlers, calls };
}

describe('the dispatcher', () => {
  it('has a schema for exactly the methods of the contract', () => {
    expect(Object.keys(API_SCHEMAS).sort()).toEqual([...API_METHODS].sort());
  });

  describe.each(API_METHODS.map((m) => [m] as [ApiMethod]))('%s', (method) => {
    it('accepts well-formed params and passes them to its handler', async () => {
      const { handlers, calls } = spyHandlers();
      const dispatch = createDispatcher(handlers);
      const params = validSample(API_SCHEMAS[method]);
      const r = await dispatch(method, params);
      expect(r).toEqual({ ok: true, value: { echoed: method } });
      expect(calls.get(method)).toEqual([params]);
    });

    const cases = malformedCases(API_SCHEMAS[method]);
    it.each(cases.map((c) => [c.label, c.value] as const))('rejects malformed params (%s) before any service runs', async (_label, value) => {
      const { handlers, calls } = spyHandlers();
      const onUnexpected = vi.fn();
      const r = await createDispatcher(handlers, onUnexpected)(method, value);
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.error.code).toBe('INVALID_INPUT');
      expect(r.error.message.startsWith(`${method}: `)).toBe(true);
      expect(r.error.message).not.toContain('\n');
      expect(calls.size).toBe(0);
      expect(onUnexpected).not.toHaveBeenCalled();
    });
  });

  it.each([['no.such'], ['toString'], ['__proto__'], ['constructor'], [''], [42], [null], [undefined], [['app.info']]])(
    'refuses the unknown method %j',
    async (method) => {
      const { handlers, calls } = spyHandlers();
      const r = await createDispatcher(handlers)(method, undefined);
      expect(r).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: expect.stringMatching(/^there is no Certdesk API method /) as unknown } });
      expect(calls.size).toBe(0);
    },
  );

  it('keeps an unknown method name short and printable in the error', async () => {
    const { handlers } = spyHandlers();
    const r = await createDispatcher(handlers)(`evil\n${'x'.repeat(5000)}`, undefined);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.error.message).not.toContain('\n');
      expect(r.error.message.length).toBeLessThan(140);
    }
  });

  it('names the offending field in a plain line', async () => {
    const { handlers } = spyHandlers();
    const r = await createDispatcher(handlers)('requests.show', { id: '' });
    expect(r).toEqual({ ok: false, error: { code: 'INVALID_INPUT', message: 'requests.show: id is empty' } });
    const big = await createDispatcher(handlers)('plans.openFile', { source: { kind: 'bytes', name: 'x.json', base64: 'A'.repeat(1_500_000) } });
    expect(big.ok ? '' : big.error.message).toBe('plans.openFile: source.base64 is a file larger than 1 MiB');
  });

  it('returns a CertdeskError as its code and message', async () => {
    const { handlers } = spyHandlers();
    handlers['requests.show'] = () => Promise.reject(new CertdeskError('NOT_FOUND', 'no request 20250101-abc'));
    const r = await createDispatcher(handlers)('requests.show', { id: '20250101-abc' });
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'no request 20250101-abc' } });
  });

  it('turns a file-system error into IO_ERROR in plain words, without the error text', async () => {
    const { handlers } = spyHandlers();
    handlers['requests.list'] = () => Promise.reject(Object.assign(new Error("EACCES: permission denied, open '/secret/place'"), { code: 'EACCES' }));
    const r = await createDispatcher(handlers)('requests.list', {});
    expect(r).toEqual({ ok: false, error: { code: 'IO_ERROR', message: 'requests.list failed: permission denied' } });
  });

  it('reports a bug as INTERNAL without its message, and tells the sink without the message either', async () => {
    const { handlers } = spyHandlers();
    const secret = '-----BEGIN PRIVATE KEY-----MIIEvQ';
    handlers['requests.create'] = () => Promise.reject(new TypeError(`cannot read ${secret}`));
    const seen: string[] = [];
    const spy = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void seen.push(a.join(' ')));
    try {
      const dispatch = createDispatcher(handlers);
      const r = await dispatch('requests.create', validSample(API_SCHEMAS['requests.create']));
      expect(r).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'unexpected failure in requests.create; this is a bug in Certdesk' } });
      expect(seen).toHaveLength(1);
      expect(seen[0]).toContain('TypeError');
      expect(seen.join('')).not.toContain(secret);
    } finally {
      spy.mockRestore();
    }
  });

  it('passes the parsed params, not the caller\'s object', async () => {
    const { handlers, calls } = spyHandlers();
    const params = { id: '20250101-abc' };
    await createDispatcher(handlers)('requests.show', params);
    const seen = calls.get('requests.show')?.[0];
    expect(seen).toEqual(params);
    expect(seen).not.toBe(params);
  });
});
