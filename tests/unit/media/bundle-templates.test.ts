import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bundleFolderName, caFileName, type BundlePlan, renderManifest, windowsText } from '../../../src-main/media/bundle-plan.js';
import { renderInstallScript } from '../../../src-main/media/install-script.js';
import { renderReadme } from '../../../src-main/media/readme-text.js';

const ca = (fileName: string, subject: string) => ({ fileName, subject, thumbprint: 'A'.repeat(40), notAfter: '2035-01-01T00:00:00.000Z', der: new Uint8Array([0x30, 0x00]) });
const plan: BundlePlan = {
  requestId: '20260315-3f2kx9ab',
  friendlyName: 'Reverse Proxy Listener for Lync Server',
  subject: 'webext.contoso.com',
  distinguishedName: 'CN=webext.contoso.com, O=Contoso',
  sans: ['webext.contoso.com', 'meet.contoso.com'],
  issuer: 'CN=Public CA',
  serialNumber: '0A1B',
  thumbprint: '0123456789ABCDEF0123456789ABCDEF01234567',
  certificateSha256: 'f'.repeat(64),
  notBefore: '2026-03-15T00:00:00.000Z',
  notAfter: '2026-09-30T00:00:00.000Z',
  farm: 'edge-rp',
  nodes: [
    { host: 'rp1.contoso.local', windowsVersion: '2008R2', profile: 'legacy', notes: 'TMG 2010' },
    { host: 'rp2.contoso.local', windowsVersion: '2019', profile: 'modern', notes: '' },
  ],
  pfx: [
    { fileName: 'webext.contoso.com-legacy.pfx', profile: 'legacy', data: new Uint8Array(1) },
    { fileName: 'webext.contoso.com-modern.pfx', profile: 'modern', data: new Uint8Array(1) },
  ],
  roots: [ca('internal-root-1-Contoso_Root.cer', 'CN=Contoso Root')],
  intermediates: [ca('internal-intermediate-1-Contoso_Issuing.cer', 'CN=Contoso Issuing')],
  publicIntermediates: [ca('public-intermediate-1-Public_Issuing.cer', 'CN=Public Issuing')],
  publicRoot: ca('public-root-1-Public_Root.cer', 'CN=Public Root'),
  passwordExport: 3,
  createdAt: '2026-03-15T14:02:09.000Z',
};

describe('Install-Certificate.ps1', () => {
  const script = renderInstallScript(plan);

  it('imports the PFX into LocalMachine\\My, prompting for the password as a SecureString', () => {
    expect(script).toContain('Import-PfxCertificate -FilePath $PfxPath -CertStoreLocation Cert:\\LocalMachine\\My -Password $Password');
    expect(script).toMatch(/\$Password = Read-Host -AsSecureString -Prompt /);
  });

  it('lists every CA file with its store, thumbprint and SHA-256, and imports only those into Root and CA', () => {
    const sha = createHash('sha256').update(new Uint8Array([0x30, 0x00])).digest('hex');
    expect(script).toContain(`@{ File = 'internal-root-1-Contoso_Root.cer'; Store = 'Root'; Thumbprint = '${'A'.repeat(40)}'; Sha256 = '${sha}'; Subject = 'CN=Contoso Root' }`);
    expect(script).toContain("@{ File = 'public-root-1-Public_Root.cer'; Store = 'Root';");
    expect(script).toContain("@{ File = 'internal-intermediate-1-Contoso_Issuing.cer'; Store = 'CA';");
    expect(script).toContain("@{ File = 'public-intermediate-1-Public_Issuing.cer'; Store = 'CA';");
    expect(script).toContain("Import-Certificate -FilePath (Join-Path $BundleDir $ca.File) -CertStoreLocation ('Cert:\\LocalMachine\\' + $ca.Store)");
  });

  it('keys the node table by full DNS name and keeps a NetBIOS fallback', () => {
    expect(script).toContain("$FarmNodes = @{\n    'rp1.contoso.local' = 'legacy'\n    'rp2.contoso.local' = 'modern'\n}");
    expect(script).toContain("$FarmNodesByNetBiosName = @{\n    'RP1' = 'rp1.contoso.local'\n    'RP2' = 'rp2.contoso.local'\n}");
  });

  it('on PowerShell 2.0 opens the PFX with the SecureString constructor, never a plain-text copy', () => {
    expect(script).toContain('X509Certificate2($PfxPath, $Password, [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::MachineKeySet)');
    expect(script).toContain("X509Certificate2($PfxPath, $Password, [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]'MachineKeySet, PersistKeySet')");
    expect(script).not.toMatch(/SecureStringToBSTR|PtrToStringBSTR|zeroed/);
  });

  it('skips the PFX import when My already holds the certificate with its private key, and says so', () => {
    expect(script).toContain('$SkipPfx = ($null -ne $Existing) -and $Existing.HasPrivateKey');
    expect(script).toContain('the PFX is not imported again');
  });

  it('undoes what this run added when a step fails, and prints every store change', () => {
    expect(script).toMatch(/\} catch \{\n {4}Write-Host "FAILED: \$\(\$_\.Exception\.Message\)" -ForegroundColor Red\n {4}Undo-Changes\n {4}Write-Summary\n {4}exit 2/);
    expect(script).toContain("Add-Change 'My' $ExpectedThumbprint $Subject 'added' $true");
  });

  it('never accepts a password argument: its param block is empty and it reads no $args', () => {
    const params = [...script.matchAll(/^\s*param\s*\(([^)]*)\)/gim)].map((m) => m[1]?.trim());
    expect(params).toEqual(['']);
    expect(script).not.toMatch(/\$args\b/i);
    expect(script).not.toMatch(/ConvertTo-SecureString/i);
    expect(script).not.toMatch(/-Password\s+['"]/i);
    expect(script).not.toMatch(/\[string\]\s*\$\w*pass/i);
  });

  it('prints the thumbprint and DNS names it finds and checks the thumbprint against the manifest', () => {
    expect(script).toContain("$ExpectedThumbprint = '0123456789ABCDEF0123456789ABCDEF01234567'");
    expect(script).toContain('Write-Host "Thumbprint:     $($Stored.Thumbprint)"');
    expect(script).toContain('DnsNameList');
    expect(script).toContain('Write-Host "DNS names:      $($DnsNames -join \', \')"');
  });

  it('picks the PFX for the Windows version: modern from build 17763 (Server 2019), legacy before', () => {
    expect(script).toContain("    'legacy' = 'webext.contoso.com-legacy.pfx'");
    expect(script).toContain("    'modern' = 'webext.contoso.com-modern.pfx'");
    expect(script).toContain('if ($Build -ge 17763) { $Wanted = \'modern\' }');
  });

  it('is plain ASCII, so every Windows PowerShell reads it whatever the code page', () => {
    expect([...script].filter((c) => !(c === '\t' || c === '\n' || c === '\r' || (c >= ' ' && c <= '~')))).toEqual([]);
  });

  it('quotes untrusted CA subjects safely: quotes doubled, typographic quotes and line breaks replaced', () => {
    const s = renderInstallScript({ ...plan, roots: [ca('r.cer', "CN=O'Brien \u2019; calc; \u2018\r\nX")] });
    expect(s).toContain("Subject = 'CN=O''Brien ?; calc; ???X' }");
  });
});

describe('README.txt', () => {
  const readme = renderReadme(plan);

  it('says the password is delivered separately and how the admin reads it', () => {
    expect(readme).toContain('THE PFX PASSWORD IS NOT ON THIS DRIVE');
    expect(readme).toContain('certdesk password 20260315-3f2kx9ab --export 3');
  });

  it('gives each node its PFX and the import, trust, bind and verify steps', () => {
    expect(readme).toContain('Node rp1.contoso.local (Windows Server 2008 R2): use webext.contoso.com-legacy.pfx');
    expect(readme).toContain('Node rp2.contoso.local (Windows Server 2019): use webext.contoso.com-modern.pfx');
    expect(readme).toContain('TMG 2010: Forefront TMG console');
    expect(readme).toContain('IIS ARR: IIS Manager');
    expect(readme).toContain('Trusted Root');
    expect(readme).toContain('certdesk deploy 20260315-3f2kx9ab --node rp2.contoso.local --verified-thumbprint 0123456789ABCDEF0123456789ABCDEF01234567');
  });

  it('states the order of operations: check files, password and PFX check before any store change, undo on failure', () => {
    const order = readme.slice(readme.indexOf('What Install-Certificate.ps1 does, in this order'));
    const at = (s: string): number => order.indexOf(s);
    expect(at('Checks every .cer file and the PFX')).toBeGreaterThan(0);
    expect(at('Asks for the PFX password')).toBeGreaterThan(at('Checks every .cer file and the PFX'));
    expect(at('Imports the root .cer files')).toBeGreaterThan(at('Asks for the PFX password'));
    expect(order).toContain('removes what');
  });

  it('says Group Policy overrides -ExecutionPolicy Bypass and points to the manual import', () => {
    expect(readme).toContain('Group');
    expect(readme).toMatch(/Policy \("Turn on Script Execution"; Get-ExecutionPolicy -List shows it as MachinePolicy or\n\s+UserPolicy\) takes precedence over it/);
    expect(readme).toContain('do the same steps by hand');
  });

  it('gives the manual route per Windows version: mmc and certutil on 2008 R2, certlm.msc and Get-FileHash from 2012 R2', () => {
    expect(readme).toContain('By hand on Windows Server 2008 R2 (and any version)');
    expect(readme).toContain('By hand on Windows Server 2012 R2 and later');
    const heading = (title: string): number => readme.indexOf(`${title}\n---`);
    const old = readme.slice(heading('By hand on Windows Server 2008 R2 (and any version)'), heading('By hand on Windows Server 2012 R2 and later'));
    expect(old).toContain('certutil -hashfile FILE SHA256');
    expect(old).not.toContain('Get-FileHash');
    expect(old).toContain('Add/Remove Snap-in >\n     Certificates > Add > Computer account');
    const modern = readme.slice(heading('By hand on Windows Server 2012 R2 and later'));
    expect(modern).toContain('certlm.msc');
    expect(modern).toContain('Get-FileHash FILE -Algorithm SHA256');
    expect(modern).toContain('Place all certificates in the following store: Personal');
    expect(readme).toContain(`certutil -store My ${plan.thumbprint}`);
  });

  it('lists the SHA-256 of every file and the thumbprint of every CA file for the manual check', () => {
    const sha = createHash('sha256').update(new Uint8Array([0x30, 0x00])).digest('hex');
    for (const c of [...plan.roots, ...plan.intermediates, ...plan.publicIntermediates]) {
      expect(readme).toContain(`  ${c.fileName}\n      SHA-256     ${sha}\n      thumbprint  ${c.thumbprint}`);
    }
    expect(readme).toContain(`  webext.contoso.com-legacy.pfx\n      SHA-256     ${createHash('sha256').update(new Uint8Array(1)).digest('hex')}`);
  });

  it('offers TMG only where TMG can run (Windows Server 2008 R2)', () => {
    const rp2 = readme.slice(readme.indexOf('Node rp2'));
    expect(rp2).not.toContain('TMG 2010: Forefront');
  });
});

describe('bundle naming and text encoding', () => {
  it('names the folder after the subject and the UTC minute', () => {
    expect(bundleFolderName('webext.contoso.com', new Date('2026-03-05T04:07:59Z'))).toBe('Certdesk-webext.contoso.com-20260305-0407');
  });

  it('names CA files after their CN with unsafe characters replaced', () => {
    expect(caFileName('internal-root', 1, 'CN=Contoso Root CA\\, Inc., O=Contoso')).toBe('internal-root-1-Contoso_Root_CA_Inc.cer');
  });

  it('writes Windows text with a UTF-8 BOM and CRLF line ends', () => {
    expect([...windowsText('a\nb\r\n')]).toEqual([0xef, 0xbb, 0xbf, 0x61, 0x0d, 0x0a, 0x62, 0x0d, 0x0a]);
  });

  it('lists the nodes and files in the manifest with the password marked as not present', () => {
    const m = JSON.parse(renderManifest(plan, [{ path: 'x.pfx', sha256: 'a'.repeat(64), size: 1, kind: 'pfx', profile: 'legacy' }])) as Record<string, unknown>;
    expect(m).toMatchObject({ format: 'certdesk-bundle', formatVersion: 1, requestId: plan.requestId, thumbprint: plan.thumbprint, notAfter: plan.notAfter, password: 'not on this drive: delivered separately' });
    expect(JSON.stringify(m)).not.toContain('Lync-Proxy');
  });
});
