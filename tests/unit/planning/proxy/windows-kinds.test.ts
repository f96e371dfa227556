/**
 * The IIS ARR script and the TMG checklist, checked as text (no Windows here): every rule is there
 * with its farm, ports and host names; no password ever travels on a command line; TMG's steps
 * exist in both UI languages. Also the input checks that keep untrusted text out of configurations.
 */
import { describe, expect, it } from 'vitest';
import { renderIisArr } from '../../../../src-main/planning/proxy/iis-arr.js';
import { checkAddress, checkInstallDir, checkListen, parseUpstreams, rulesForCertificate, uncoveredNames } from '../../../../src-main/planning/proxy/select.js';
import { renderTmg } from '../../../../src-main/planning/proxy/tmg.js';
import { renderHaproxyInstallScript } from '../../../../src-main/planning/proxy/haproxy-script.js';
import { spawnSync } from 'node:child_process';
import { EXAMPLES, examplePlan, inputFor } from './proxy-helpers.js';

function unescapePattern(p: string): string[] {
  return p.replace(/^\^\(|\)\$$/g, '').split('|').map((n) => n.replace(/\\\./g, '.'));
}

describe('IIS ARR script', () => {
  it('routes every rule: a server farm per internal target with its ports, a rewrite rule per target and protocol naming each host', async () => {
    for (const name of EXAMPLES) {
      const plan = await examplePlan(name);
      for (const p of plan.plans) {
        const input = inputFor(plan, p.certificate, 'iis-arr', '/x', { upstreams: new Map() });
        const ps = renderIisArr(input);
        const rules = [...ps.matchAll(/^Set-CertdeskRule -Rule '([^']+)' -HostPattern '([^']+)' -HttpsState '([^']+)' -Url '([^']+)'/gm)];
        for (const r of input.rules) {
          const https = r.protocol === 'https';
          const rule = rules.find((m) => unescapePattern(m[2] ?? '').includes(r.externalName) && m[3] === (https ? '^ON$' : '^OFF$'));
          expect(rule, `${name}: ${r.text}`).toBeDefined();
          expect(rule?.[4]).toBe(`${https ? 'https' : 'http'}://Certdesk-${r.internalTarget}/{R:0}`);
          const farm = new RegExp(`^Set-CertdeskFarm -Farm 'Certdesk-${r.internalTarget.replace(/\./g, '\\.')}' -Address '${r.internalTarget.replace(/\./g, '\\.')}' -HttpPort (\\d+) -HttpsPort (\\d+)$`, 'm').exec(ps);
          expect(farm, `${name}: farm of ${r.internalTarget}`).not.toBeNull();
          expect(Number(farm?.[https ? 2 : 1])).toBe(r.internalPort);
          if (https) expect(ps).toContain(`'${r.externalName}'`);
        }
      }
    }
  });

  it('takes no parameters and never puts a password on a command line', async () => {
    const plan = await examplePlan('contoso');
    const ps = renderIisArr(inputFor(plan, 1, 'iis-arr', '/x'));
    expect(ps).not.toMatch(/^\s*param\s*\(/im);
    expect(ps).not.toMatch(/\$args\b/i);
    expect(ps).not.toMatch(/-Password\b|ConvertTo-SecureString|Import-PfxCertificate|\/p\s|-p\s/i);
    expect(ps.match(/password/gi)?.length).toBe(1); // only the header saying it takes none
    expect(ps).toContain(`$Thumbprint = '${'AB'.repeat(20)}'`);
    expect(ps).toMatch(/\r\n/);
  });

  it('refuses to run with the placeholder thumbprint', async () => {
    const plan = await examplePlan('contoso');
    const ps = renderIisArr(inputFor(plan, 1, 'iis-arr', '/x', { certificate: null }));
    expect(ps).toContain("$Thumbprint = 'PUT-THE-THUMBPRINT-HERE'");
    expect(ps).toContain("if ($Thumbprint -notmatch '^[0-9A-Fa-f]{40}$') { throw");
  });

  it('binds by SNI only where Windows supports it (6.2, Server 2012, and later)', async () => {
    const ps = renderIisArr(inputFor(await examplePlan('contoso'), 1, 'iis-arr', '/x'));
    expect(ps).toContain("$SniSupported = [Environment]::OSVersion.Version -ge [Version]'6.2'");
    expect(ps).toContain('-SslFlags 1');
    expect(ps).toContain('IIS:\\SslBindings\\$SslIp!443');
  });
});

describe('TMG 2010 checklist', () => {
  it('one web publishing rule per internal target with its public names, /*, bridging 4443 and 8080, the original host header', async () => {
    const plan = await examplePlan('contoso');
    const input = inputFor(plan, 1, 'tmg', '/x');
    const en = renderTmg(input);
    for (const target of new Set(input.rules.map((r) => r.internalTarget))) {
      const names = [...new Set(input.rules.filter((r) => r.internalTarget === target).map((r) => r.externalName))];
      const section = en.split(/\r\n(?=\d+\. )/).find((s) => s.includes(`: ${target}\r\n`)) ?? '';
      expect(section, target).toContain(`accept requests for this domain name (type below): ${names.join(', ')}; path /*.`);
      expect(section).toContain('Forward the original host header instead of the actual one: ON.');
      if (target !== 'officewebapps01.contoso.com') expect(section).toContain('redirect requests to SSL port 4443; redirect requests to HTTP port 8080');
      else expect(section).toContain('redirect requests to SSL port 443.');
    }
    expect(en).toContain(`thumbprint ${'AB'.repeat(20)}`);
    expect(en).toContain('"Reverse Proxy Listener for Lync Server"');
  });

  it('is written in Traditional Chinese when the UI is, with the same rules', async () => {
    const plan = await examplePlan('contoso');
    const zh = renderTmg(inputFor(plan, 1, 'tmg', '/x', { language: 'zh-TW' }));
    expect(zh).toContain('網站發佈規則');
    expect(zh).toContain('易記名稱');
    expect(zh).toContain('將要求重新導向到 SSL 連接埠 4443');
    expect(zh).toContain('webext.contoso.com');
    expect(zh).not.toMatch(/Forward the original/);
  });
});

describe('install-haproxy-cert.sh', () => {
  it('is valid sh, reads the password from a file or a prompt without echo, hands it to openssl through the environment', async () => {
    const script = renderHaproxyInstallScript(inputFor(await examplePlan('contoso'), 1, 'haproxy', '/etc/haproxy/certdesk'));
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    expect(script).toContain('stty -echo');
    expect(script).toMatch(/-passin env:CERTDESK_PFX_PASSWORD/);
    expect(script).not.toMatch(/-passin pass:/);
    expect(script).toMatch(/haproxy -c -f "\$CFG"/);
    expect(script).toMatch(/systemctl is-active --quiet haproxy/);
    expect(script).toContain("DEST='/etc/haproxy/certdesk/webext.contoso.com.pem'");
  });
});

describe('what goes into a configuration', () => {
  it('per-pool plans: each certificate gets its own HTTPS names, and the HTTP rules of those names', async () => {
    const plan = await examplePlan('fabrikam-per-pool');
    expect(plan.plans.length).toBeGreaterThan(1);
    const all = plan.plans.flatMap((p) => rulesForCertificate(plan, p.certificate));
    expect(all.length).toBe(plan.publishingRules.filter((r) => r.protocol === 'http' || r.certificate !== null).length);
    for (const p of plan.plans) for (const r of rulesForCertificate(plan, p.certificate)) if (r.protocol === 'https') expect(r.certificate).toBe(p.certificate);
  });

  it('finds the published names a certificate does not cover (a one-label wildcard covers)', async () => {
    const rules = rulesForCertificate(await examplePlan('contoso'), 1);
    expect(uncoveredNames(rules, ['webext.contoso.com', '*.contoso.com'])).toEqual([]);
    expect(uncoveredNames(rules, ['webext.contoso.com'])).toContain('meet.contoso.com');
  });

  it('refuses addresses, upstreams and folders that could break out of the configuration syntax', async () => {
    const rules = rulesForCertificate(await examplePlan('contoso'), 1);
    expect(() => checkAddress('10.0.0.5; include /etc/passwd', 'x')).toThrow(/not an IP address or host name/);
    expect(checkAddress('[::1]', 'x')).toBe('::1');
    expect(() => checkListen('all')).toThrow(/not an IP address/);
    expect(() => parseUpstreams(['pool1=10.0.0.5'], rules)).toThrow(/no rule forwards to it; the internal targets are pool01, dir01/);
    expect(() => parseUpstreams(['pool01'], rules)).toThrow(/NAME=ADDRESS/);
    expect(parseUpstreams(['POOL01=10.0.0.5'], rules).get('pool01')).toBe('10.0.0.5');
    expect(() => checkInstallDir('etc/nginx')).toThrow(/absolute path/);
    expect(() => checkInstallDir('/etc/nginx certdesk;')).toThrow(/absolute path/);
    expect(() => checkInstallDir('/etc/../root')).toThrow(/absolute path/);
    expect(checkInstallDir('/etc/nginx/certdesk/')).toBe('/etc/nginx/certdesk');
  });
});
