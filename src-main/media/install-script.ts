import type { BundlePlan } from './bundle-plan.js';

/** A PowerShell single-quoted string literal (the only escape inside is '' for '). */
function psString(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function psArray(items: readonly string[]): string {
  return items.length === 0 ? '@()' : `@(${items.map(psString).join(', ')})`;
}

/** Windows Server 2019's build: the first to read AES-256/SHA-256 PFX files (pki.md section 4). */
export const MODERN_PFX_MIN_BUILD = 17763;

/**
 * Install-Certificate.ps1 for one bundle. It never takes a password parameter (a password on a
 * command line lands in the console history, transcripts and process listings): it prompts with
 * Read-Host -AsSecureString. It runs on Windows PowerShell 2.0 too (TMG 2010 on Windows Server
 * 2008 R2 has no PKI module), falling back to the .NET certificate store API there. ASCII only, so
 * any Windows PowerShell reads it whatever the code page.
 */
export function renderInstallScript(plan: BundlePlan): string {
  const pfxTable = plan.pfx.map((p) => `    ${psString(p.profile)} = ${psString(p.fileName)}`).join('\n');
  const nodeTable = plan.nodes.map((n) => `    ${psString(n.host.split('.')[0]?.toUpperCase() ?? n.host)} = ${psString(n.profile)}`).join('\n');
  const roots = [...plan.roots, ...(plan.publicRoot ? [plan.publicRoot] : [])].map((c) => c.fileName);
  const intermediates = plan.intermediates.map((c) => c.fileName);
  const script = `<#
.SYNOPSIS
    Installs the certificate ${plan.subject} from this Certdesk bundle on a reverse proxy of farm ${plan.farm}.

.DESCRIPTION
    1. Imports the internal root CA certificate(s) into Cert:\\LocalMachine\\Root and the intermediate
       CA certificate(s) into Cert:\\LocalMachine\\CA.
    2. Imports the PFX file that matches this Windows version into Cert:\\LocalMachine\\My, asking
       for its password. The password is not on this drive: it is delivered separately.
    3. Prints the thumbprint and the DNS names (SANs) of the certificate it finds, and checks the
       thumbprint against the one in manifest.json.

    Run it from the bundle folder in a PowerShell window started with "Run as administrator":
        powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\Install-Certificate.ps1

    It deliberately has no password parameter: a password typed on a command line stays in the
    console history and process listings.

    Request ${plan.requestId}; expected thumbprint ${plan.thumbprint}; expires ${plan.notAfter}.
#>
[CmdletBinding()]
param()

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$BundleDir = Split-Path -Parent $MyInvocation.MyCommand.Path
$Subject = ${psString(plan.subject)}
$RequestId = ${psString(plan.requestId)}
$ExpectedThumbprint = ${psString(plan.thumbprint)}
$PfxFiles = @{
${pfxTable}
}
$RootCaFiles = ${psArray(roots)}
$IntermediateCaFiles = ${psArray(intermediates)}
# Farm nodes (first DNS label) and the PFX profile each one needs.
$FarmNodes = @{
${nodeTable}
}

$identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$principal = New-Object Security.Principal.WindowsPrincipal($identity)
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Write-Host 'Run this script in a PowerShell window started with "Run as administrator".' -ForegroundColor Red
    exit 1
}

if (-not $FarmNodes.ContainsKey($env:COMPUTERNAME.ToUpper())) {
    Write-Warning "This computer ($env:COMPUTERNAME) is not one of the farm's nodes listed in manifest.json."
}

# Windows Server 2019 (build ${MODERN_PFX_MIN_BUILD}) and later read AES-256/SHA-256 PFX files ("modern");
# older Windows, TMG 2010 included, refuses them with a misleading "wrong password" and needs "legacy".
$Build = [Environment]::OSVersion.Version.Build
$Wanted = 'legacy'
if ($Build -ge ${MODERN_PFX_MIN_BUILD}) { $Wanted = 'modern' }
if ($PfxFiles.ContainsKey($Wanted)) {
    $PfxProfile = $Wanted
} elseif ($PfxFiles.ContainsKey('legacy')) {
    # Every Windows version reads the legacy file.
    $PfxProfile = 'legacy'
} else {
    Write-Host "This bundle has no PFX file Windows build $Build can read (it needs the legacy profile). Ask for a bundle made for a farm with this Windows version." -ForegroundColor Red
    exit 1
}
$PfxPath = Join-Path $BundleDir $PfxFiles[$PfxProfile]
Write-Host "Windows build $Build -> PFX profile $PfxProfile ($($PfxFiles[$PfxProfile]))"

$HasPkiModule = $null -ne (Get-Command Import-PfxCertificate -ErrorAction SilentlyContinue)

function Add-ToMachineStore([System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate, [string]$StoreName) {
    # Used only where the PKI module is missing (Windows Server 2008 R2).
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store($StoreName, 'LocalMachine')
    $store.Open('ReadWrite')
    try { $store.Add($Certificate) } finally { $store.Close() }
}

foreach ($file in $RootCaFiles) {
    $path = Join-Path $BundleDir $file
    if ($HasPkiModule) {
        $ca = Import-Certificate -FilePath $path -CertStoreLocation Cert:\\LocalMachine\\Root
    } else {
        $ca = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($path)
        Add-ToMachineStore $ca 'Root'
    }
    Write-Host "Trusted root CA installed: $($ca.Subject) (thumbprint $($ca.Thumbprint))"
}
foreach ($file in $IntermediateCaFiles) {
    $path = Join-Path $BundleDir $file
    if ($HasPkiModule) {
        $ca = Import-Certificate -FilePath $path -CertStoreLocation Cert:\\LocalMachine\\CA
    } else {
        $ca = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($path)
        Add-ToMachineStore $ca 'CA'
    }
    Write-Host "Intermediate CA installed: $($ca.Subject) (thumbprint $($ca.Thumbprint))"
}

$Password = Read-Host -AsSecureString -Prompt "Password for $($PfxFiles[$PfxProfile]) (delivered separately, not on this drive)"
if ($HasPkiModule) {
    $null = Import-PfxCertificate -FilePath $PfxPath -CertStoreLocation Cert:\\LocalMachine\\My -Password $Password
} else {
    # PowerShell 2.0: X509Certificate2Collection.Import wants the password as a string; it exists
    # only in this process's memory and the copy is zeroed right after.
    $bstr = [Runtime.InteropServices.Marshal]::SecureStringToBSTR($Password)
    try {
        $collection = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2Collection
        $collection.Import($PfxPath, [Runtime.InteropServices.Marshal]::PtrToStringBSTR($bstr), 'MachineKeySet,PersistKeySet')
    } finally {
        [Runtime.InteropServices.Marshal]::ZeroFreeBSTR($bstr)
    }
    foreach ($c in $collection) {
        if ($c.HasPrivateKey) { Add-ToMachineStore $c 'My' }
        elseif ($c.Subject -eq $c.Issuer) { Add-ToMachineStore $c 'Root' }
        else { Add-ToMachineStore $c 'CA' }
    }
}

$Found = Get-ChildItem Cert:\\LocalMachine\\My | Where-Object { $_.Thumbprint -eq $ExpectedThumbprint } | Select-Object -First 1
if ($null -eq $Found) {
    Write-Host "The certificate with thumbprint $ExpectedThumbprint is not in Cert:\\LocalMachine\\My after the import." -ForegroundColor Red
    exit 2
}
$DnsNames = @()
if ($Found.PSObject.Properties['DnsNameList']) {
    $DnsNames = @($Found.DnsNameList | ForEach-Object { $_.Unicode })
} else {
    $san = $Found.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.17' }
    if ($san) { $DnsNames = @($san.Format($false)) }
}
Write-Host ''
Write-Host "Subject:        $($Found.Subject)"
Write-Host "Thumbprint:     $($Found.Thumbprint)"
Write-Host "DNS names:      $($DnsNames -join ', ')"
Write-Host "Expires:        $($Found.NotAfter)"
Write-Host "Private key:    $($Found.HasPrivateKey)"
if (-not $Found.HasPrivateKey) {
    Write-Host 'The certificate was imported without its private key: the PFX or the password is wrong.' -ForegroundColor Red
    exit 2
}
Write-Host "OK: the thumbprint matches manifest.json ($ExpectedThumbprint)." -ForegroundColor Green
Write-Host ''
Write-Host 'Next: bind this certificate to the TMG web listener or the IIS ARR site (https, port 443),'
Write-Host 'then record it on the Certdesk workstation:'
Write-Host "    certdesk deploy $RequestId --node <this node's host name> --verified-thumbprint $ExpectedThumbprint"
`;
  return script;
}
