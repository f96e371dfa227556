import { sha256Hex } from '../pki/fingerprint.js';
import type { BundleCa, BundlePlan } from './bundle-plan.js';
import { uniqueNetbiosNames } from './windows-names.js';

/**
 * A PowerShell single-quoted string literal. The only escape inside is '' for '; but PowerShell also
 * ends such a string at the typographic quotes U+2018-U+201B, so anything outside printable ASCII
 * (those, line breaks, other control characters) becomes '?'. Values that must survive exactly
 * (file names, hosts, thumbprints, hashes) are ASCII by construction.
 */
export function psString(s: string): string {
  return `'${s.replace(/[^\x20-\x7e]/g, '?').replace(/'/g, "''")}'`;
}

/** Windows Server 2019's build: the first to read AES-256/SHA-256 PFX files (pki.md section 4). */
export const MODERN_PFX_MIN_BUILD = 17763;

/** A CA file as the script's table lists it: where it goes, and what it must be. */
interface ScriptCa {
  ca: BundleCa;
  store: 'Root' | 'CA';
}

function caTable(entries: readonly ScriptCa[]): string {
  if (entries.length === 0) return '@()';
  const rows = entries.map(
    ({ ca, store }) =>
      `    @{ File = ${psString(ca.fileName)}; Store = ${psString(store)}; Thumbprint = ${psString(ca.thumbprint.toUpperCase())}; ` +
      `Sha256 = ${psString(sha256Hex(ca.der))}; Subject = ${psString(ca.subject)} }`,
  );
  return `@(\n${rows.join('\n')}\n)`;
}

/** A hashtable literal whose keys cannot repeat: PowerShell compares them case-insensitively and refuses the whole script on a duplicate. */
function psHashtable(entries: Iterable<[string, string]>): string {
  const rows = new Map<string, string>();
  for (const [key, value] of entries) {
    const k = key.toLowerCase();
    if (!rows.has(k)) rows.set(k, `    ${psString(key)} = ${psString(value)}`);
  }
  return `@{\n${[...rows.values()].join('\n')}\n}`;
}

/**
 * Install-Certificate.ps1 for one bundle, for Windows PowerShell 2.0 (Windows Server 2008 R2, TMG
 * 2010) through 5.1. The order is the point: every file is checked against the SHA-256 and
 * thumbprint written here, the password is asked and the PFX opened in memory and compared with the
 * manifest's thumbprint, and only then is any certificate store touched; CA certificates come only
 * from the checked .cer files (never from the PFX, never guessed into Root); every change is printed,
 * and a failure undoes what this run added. It never takes a password parameter (a password on a
 * command line lands in the console history, transcripts and process listings). ASCII only, so any
 * Windows PowerShell reads it whatever the code page.
 */
export function renderInstallScript(plan: BundlePlan): string {
  const cas: ScriptCa[] = [
    ...plan.roots.map((ca) => ({ ca, store: 'Root' as const })),
    ...(plan.publicRoot ? [{ ca: plan.publicRoot, store: 'Root' as const }] : []),
    ...plan.intermediates.map((ca) => ({ ca, store: 'CA' as const })),
    ...plan.publicIntermediates.map((ca) => ({ ca, store: 'CA' as const })),
  ];
  const hosts = plan.nodes.map((n) => n.host.toLowerCase());
  const netbios = [...uniqueNetbiosNames(hosts)].filter(([name]) => /^[\x20-\x7e]+$/.test(name));
  const expected = plan.thumbprint.toUpperCase();
  return `<#
.SYNOPSIS
    Installs the certificate ${plan.subject} from this Certdesk bundle on a reverse proxy of farm ${plan.farm}.

.DESCRIPTION
    In this order; no certificate store is changed before step 4:
    1. Finds this computer among the farm's nodes (by its full DNS name; by its NetBIOS name only
       when the full name is not listed) and picks the PFX this Windows build can read.
    2. Checks every file it uses against the SHA-256 and SHA-1 thumbprint Certdesk wrote into this
       script (the values manifest.json lists) and refuses any file that differs, naming it.
    3. If Cert:\\LocalMachine\\My already holds the certificate with its private key, it does not
       import the PFX again. Otherwise it asks for the PFX password (delivered separately, not on
       this drive), opens the PFX in memory and checks that its certificate with the private key has
       the thumbprint in manifest.json.
    4. Imports the root CA .cer files into Cert:\\LocalMachine\\Root and the intermediate CA .cer files
       into Cert:\\LocalMachine\\CA (never anything from the PFX), then the PFX into
       Cert:\\LocalMachine\\My, and checks the certificate the import returned.
    5. Prints every change it made to a certificate store. When a step fails after a change, it
       removes what this run added (certificates already there before are left alone).

    Run it from the bundle folder in a PowerShell window started with "Run as administrator":
        powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\Install-Certificate.ps1
    An execution policy set by Group Policy overrides -ExecutionPolicy Bypass: README.txt describes
    the manual import for that case.

    It deliberately has no password parameter: a password typed on a command line stays in the
    console history and process listings.

    Request ${plan.requestId}; expected thumbprint ${expected}; expires ${plan.notAfter}.
#>
[CmdletBinding()]
param()

Set-StrictMode -Version 2.0
$ErrorActionPreference = 'Stop'

$BundleDir = Split-Path -Parent $MyInvocation.MyCommand.Path
$Subject = ${psString(plan.subject)}
$RequestId = ${psString(plan.requestId)}
$ExpectedThumbprint = ${psString(expected)}
# The PFX file for each profile, and the SHA-256 of each file (as manifest.json lists them).
$PfxFiles = ${psHashtable(plan.pfx.map((p) => [p.profile, p.fileName]))}
$PfxSha256 = ${psHashtable(plan.pfx.map((p) => [p.profile, sha256Hex(p.data)]))}
# Every CA certificate file: the store it goes to, its SHA-1 thumbprint and the SHA-256 of the file.
# Only these files are ever imported into Root or CA.
$CaFiles = ${caTable(cas)}
# Farm nodes by full DNS name (lower case, internationalized names as xn-- A-labels) and the PFX
# profile each one needs.
$FarmNodes = ${psHashtable(plan.nodes.map((n) => [n.host.toLowerCase(), n.profile]))}
# NetBIOS names ($env:COMPUTERNAME: the first label, upper case, at most 15 characters) that only
# one node can have; the fallback when this computer's full DNS name is not listed.
$FarmNodesByNetBiosName = ${psHashtable(netbios)}

function Stop-Install([string]$Message) {
    Write-Host $Message -ForegroundColor Red
    Write-Host 'Nothing was changed on this computer.' -ForegroundColor Red
    exit 1
}

$identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$principal = New-Object Security.Principal.WindowsPrincipal($identity)
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Stop-Install 'Run this script in a PowerShell window started with "Run as administrator".'
}

# Which node is this? The full DNS name first: NetBIOS names are cut to 15 characters.
$FullName = ''
$ThisNode = $null
try {
    $ipProperties = [System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
    $FullName = $ipProperties.HostName
    if ($ipProperties.DomainName) { $FullName = $FullName + '.' + $ipProperties.DomainName }
    $FullName = (New-Object System.Globalization.IdnMapping).GetAscii($FullName).ToLowerInvariant()
    if ($FarmNodes.ContainsKey($FullName)) { $ThisNode = $FullName }
} catch {
    Write-Warning "This computer's DNS name could not be read: $($_.Exception.Message)"
}
$NetBiosName = $env:COMPUTERNAME.ToUpperInvariant()
if ($null -eq $ThisNode -and $FarmNodesByNetBiosName.ContainsKey($NetBiosName)) {
    $ThisNode = $FarmNodesByNetBiosName[$NetBiosName]
    Write-Host "Farm node $ThisNode (matched by the NetBIOS name $NetBiosName; the full DNS name is $FullName)."
} elseif ($null -ne $ThisNode) {
    Write-Host "Farm node $ThisNode."
} else {
    Write-Warning "This computer ($FullName, $NetBiosName) is not one of the farm's nodes listed in manifest.json."
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
    Stop-Install "This bundle has no PFX file Windows build $Build can read (it needs the legacy profile). Ask for a bundle made for a farm with this Windows version."
}
$PfxPath = Join-Path $BundleDir $PfxFiles[$PfxProfile]
Write-Host "Windows build $Build -> PFX profile $PfxProfile ($($PfxFiles[$PfxProfile]))"
if ($null -ne $ThisNode -and $FarmNodes[$ThisNode] -ne $PfxProfile) {
    Write-Warning "The farm lists $ThisNode with the $($FarmNodes[$ThisNode]) profile, but this Windows build needs $($PfxProfile); correct the node's Windows version in Certdesk."
}

$HasPkiModule = $null -ne (Get-Command Import-PfxCertificate -ErrorAction SilentlyContinue)

function Get-Sha256Hex([byte[]]$Bytes) {
    # SHA256CryptoServiceProvider (System.Core, .NET 3.5) is FIPS-validated: SHA256Managed, which
    # SHA256.Create() returns on the .NET Framework, throws when Windows enforces FIPS algorithms.
    try {
        Add-Type -AssemblyName System.Core
        $algorithm = New-Object System.Security.Cryptography.SHA256CryptoServiceProvider
    } catch {
        $algorithm = [System.Security.Cryptography.SHA256]::Create()
    }
    try {
        $hash = $algorithm.ComputeHash($Bytes)
    } finally {
        $algorithm.Clear()
    }
    return ([BitConverter]::ToString($hash) -replace '-', '').ToLowerInvariant()
}

# 2. Every file is checked before anything else happens.
$Checked = New-Object System.Collections.ArrayList
foreach ($ca in $CaFiles) {
    $path = Join-Path $BundleDir $ca.File
    if (-not (Test-Path -LiteralPath $path -PathType Leaf)) {
        Stop-Install "Refused: $($ca.File) is missing from the bundle folder."
    }
    $bytes = [System.IO.File]::ReadAllBytes($path)
    $sha256 = Get-Sha256Hex $bytes
    if ($sha256 -ne $ca.Sha256) {
        Stop-Install "Refused: $($ca.File) is not the file Certdesk wrote (SHA-256 $sha256, expected $($ca.Sha256))."
    }
    $certificate = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2
    $certificate.Import($bytes)
    if ($certificate.Thumbprint -ne $ca.Thumbprint) {
        Stop-Install "Refused: $($ca.File) holds the certificate $($certificate.Thumbprint), not $($ca.Thumbprint)."
    }
    Write-Host "Checked $($ca.File): SHA-256 and thumbprint $($ca.Thumbprint) match ($($ca.Subject))."
    [void]$Checked.Add(@{ Ca = $ca; Certificate = $certificate })
}
$KnownFiles = @($CaFiles | ForEach-Object { $_.File })
foreach ($file in @(Get-ChildItem -LiteralPath $BundleDir | Where-Object { -not $_.PSIsContainer })) {
    $extension = $file.Extension.ToLowerInvariant()
    if (@('.cer', '.crt', '.der', '.pem', '.p7b', '.p7c') -contains $extension -and -not ($KnownFiles -contains $file.Name)) {
        Write-Warning "Not imported: $($file.Name) is not one of the files Certdesk put in this bundle."
    }
}
if (-not (Test-Path -LiteralPath $PfxPath -PathType Leaf)) {
    Stop-Install "Refused: $($PfxFiles[$PfxProfile]) is missing from the bundle folder."
}
$PfxHash = Get-Sha256Hex ([System.IO.File]::ReadAllBytes($PfxPath))
if ($PfxHash -ne $PfxSha256[$PfxProfile]) {
    Stop-Install "Refused: $($PfxFiles[$PfxProfile]) is not the file Certdesk wrote (SHA-256 $PfxHash, expected $($PfxSha256[$PfxProfile]))."
}

function Find-Certificate([string]$StoreName, [string]$Thumbprint) {
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store($StoreName, [System.Security.Cryptography.X509Certificates.StoreLocation]::LocalMachine)
    $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]::ReadOnly)
    try {
        foreach ($c in $store.Certificates) {
            if ($c.Thumbprint -eq $Thumbprint) { return $c }
        }
        return $null
    } finally {
        $store.Close()
    }
}

# 3. The password first, and the PFX opened in memory, before any store is touched.
$Existing = Find-Certificate 'My' $ExpectedThumbprint
$SkipPfx = ($null -ne $Existing) -and $Existing.HasPrivateKey
$Password = $null
$PfxCaCertificates = @()
if ($SkipPfx) {
    Write-Host "Cert:\\LocalMachine\\My already holds $ExpectedThumbprint with its private key: the PFX is not imported again (a second import would leave another copy of the key behind)."
} else {
    $Password = Read-Host -AsSecureString -Prompt "Password for $($PfxFiles[$PfxProfile]) (delivered separately, not on this drive)"
    if ($Password.Length -eq 0) { Stop-Install 'No password was entered.' }
    if ($HasPkiModule) {
        # Get-PfxData reads the PFX without importing anything into a certificate store.
        try {
            $PfxData = Get-PfxData -FilePath $PfxPath -Password $Password
        } catch {
            Stop-Install "The PFX cannot be opened: the password is wrong, or the file is not for this Windows version. ($($_.Exception.Message))"
        }
        $Keyed = @($PfxData.EndEntityCertificates)
        $PfxCaCertificates = @($PfxData.OtherCertificates)
        if ($Keyed.Count -ne 1 -or $Keyed[0].Thumbprint -ne $ExpectedThumbprint) {
            Stop-Install "Refused: the PFX holds the certificate(s) $(($Keyed | ForEach-Object { $_.Thumbprint }) -join ', '), not $ExpectedThumbprint from manifest.json."
        }
    } else {
        # Windows Server 2008 R2 (PowerShell 2.0, no PKI module). X509Certificate2Collection.Import
        # wants the password as a plain .NET string, which cannot be wiped from memory; this
        # constructor takes the SecureString. It loads the certificate that has the private key.
        # Without PersistKeySet the key lives in a temporary container that Reset() deletes.
        try {
            $Probe = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($PfxPath, $Password, [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]::MachineKeySet)
        } catch {
            Stop-Install "The PFX cannot be opened: the password is wrong, or the file is not for this Windows version. ($($_.Exception.Message))"
        }
        try {
            $ProbeThumbprint = $Probe.Thumbprint
            $ProbeHasKey = $Probe.HasPrivateKey
        } finally {
            $Probe.Reset()
        }
        if (-not $ProbeHasKey -or $ProbeThumbprint -ne $ExpectedThumbprint) {
            Stop-Install "Refused: the PFX's certificate with a private key is $ProbeThumbprint, not $ExpectedThumbprint from manifest.json."
        }
    }
    Write-Host "The PFX opens with this password; its certificate with the private key is $ExpectedThumbprint, as manifest.json says."
}

# From here on certificate stores change: each change is recorded so a failure can undo it.
$Changes = New-Object System.Collections.ArrayList

function Add-CertificateToStore([System.Security.Cryptography.X509Certificates.X509Certificate2]$Certificate, [string]$StoreName) {
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store($StoreName, [System.Security.Cryptography.X509Certificates.StoreLocation]::LocalMachine)
    $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]::ReadWrite)
    try { $store.Add($Certificate) } finally { $store.Close() }
}

function Remove-CertificateFromStore([string]$StoreName, [string]$Thumbprint, [bool]$DeleteKey) {
    $store = New-Object System.Security.Cryptography.X509Certificates.X509Store($StoreName, [System.Security.Cryptography.X509Certificates.StoreLocation]::LocalMachine)
    $store.Open([System.Security.Cryptography.X509Certificates.OpenFlags]::ReadWrite)
    try {
        foreach ($c in @($store.Certificates)) {
            if ($c.Thumbprint -ne $Thumbprint) { continue }
            if ($DeleteKey -and $c.HasPrivateKey) {
                # The key this run imported: delete its container too, so no orphaned key stays behind.
                try {
                    $key = $c.PrivateKey
                    if ($key -is [System.Security.Cryptography.RSACryptoServiceProvider]) {
                        $key.PersistKeyInCsp = $false
                        $key.Clear()
                    }
                } catch {
                    Write-Warning "The private key of $Thumbprint could not be deleted: $($_.Exception.Message)"
                }
            }
            $store.Remove($c)
        }
    } finally {
        $store.Close()
    }
}

function Add-Change([string]$StoreName, [string]$Thumbprint, [string]$Subject, [string]$Action, [bool]$DeleteKey) {
    [void]$Changes.Add(@{ Store = $StoreName; Thumbprint = $Thumbprint; Subject = $Subject; Action = $Action; DeleteKey = $DeleteKey })
}

function Undo-Changes {
    for ($i = $Changes.Count - 1; $i -ge 0; $i--) {
        $change = $Changes[$i]
        if ($change.Action -ne 'added') { continue }
        try {
            Remove-CertificateFromStore $change.Store $change.Thumbprint $change.DeleteKey
            $change.Action = 'added, then removed again (undone)'
        } catch {
            $change.Action = 'added, and could NOT be removed: remove it by hand (mmc, Certificates, Local Computer)'
        }
    }
}

function Write-Summary {
    Write-Host ''
    Write-Host 'Certificate store changes on this computer:'
    if ($Changes.Count -eq 0) { Write-Host '    none' }
    foreach ($change in $Changes) {
        Write-Host ("    Cert:\\LocalMachine\\{0,-4} {1}: {2} ({3})" -f $change.Store, $change.Action, $change.Subject, $change.Thumbprint)
    }
}

# 4. Import: CA certificates from the checked .cer files only, then the PFX into My.
$Stored = $null
try {
    foreach ($entry in $Checked) {
        $ca = $entry.Ca
        if ($null -ne (Find-Certificate $ca.Store $ca.Thumbprint)) {
            Add-Change $ca.Store $ca.Thumbprint $ca.Subject 'already there, unchanged' $false
            continue
        }
        if ($HasPkiModule) {
            $result = @(Import-Certificate -FilePath (Join-Path $BundleDir $ca.File) -CertStoreLocation ('Cert:\\LocalMachine\\' + $ca.Store))
        } else {
            Add-CertificateToStore $entry.Certificate $ca.Store
            $result = @($entry.Certificate)
        }
        Add-Change $ca.Store $ca.Thumbprint $ca.Subject 'added' $false
        $returned = @($result | Where-Object { $_.Thumbprint -eq $ca.Thumbprint })
        if ($returned.Count -ne 1 -or $null -eq (Find-Certificate $ca.Store $ca.Thumbprint)) {
            throw "importing $($ca.File) did not put $($ca.Thumbprint) into Cert:\\LocalMachine\\$($ca.Store)"
        }
    }
    if (-not $SkipPfx) {
        $MyBefore = @{}
        $myStore = New-Object System.Security.Cryptography.X509Certificates.X509Store('My', [System.Security.Cryptography.X509Certificates.StoreLocation]::LocalMachine)
        $myStore.Open([System.Security.Cryptography.X509Certificates.OpenFlags]::ReadOnly)
        try { foreach ($c in $myStore.Certificates) { $MyBefore[$c.Thumbprint] = $true } } finally { $myStore.Close() }
        if ($HasPkiModule) {
            $imported = @(Import-PfxCertificate -FilePath $PfxPath -CertStoreLocation Cert:\\LocalMachine\\My -Password $Password)
        } else {
            $leaf = New-Object System.Security.Cryptography.X509Certificates.X509Certificate2($PfxPath, $Password, [System.Security.Cryptography.X509Certificates.X509KeyStorageFlags]'MachineKeySet, PersistKeySet')
            Add-CertificateToStore $leaf 'My'
            $imported = @($leaf)
        }
        if (-not $MyBefore.ContainsKey($ExpectedThumbprint)) {
            Add-Change 'My' $ExpectedThumbprint $Subject 'added' $true
        }
        # Import-PfxCertificate puts every certificate of the PFX into My, its CA certificates too;
        # those belong in CA, where the checked .cer files put them.
        foreach ($c in $PfxCaCertificates) {
            if (-not $MyBefore.ContainsKey($c.Thumbprint) -and $null -ne (Find-Certificate 'My' $c.Thumbprint)) {
                Remove-CertificateFromStore 'My' $c.Thumbprint $false
                Add-Change 'My' $c.Thumbprint $c.Subject 'put there by the PFX import, removed again (it is in CA)' $false
            }
        }
        $returned = @($imported | Where-Object { $_.Thumbprint -eq $ExpectedThumbprint })
        if ($returned.Count -ne 1) { throw "the import returned no certificate with thumbprint $ExpectedThumbprint" }
        if (-not $returned[0].HasPrivateKey) { throw "the certificate $ExpectedThumbprint was imported without its private key" }
    }
    $Stored = Find-Certificate 'My' $ExpectedThumbprint
    if ($null -eq $Stored -or -not $Stored.HasPrivateKey) {
        throw "Cert:\\LocalMachine\\My does not hold $ExpectedThumbprint with its private key"
    }
} catch {
    Write-Host "FAILED: $($_.Exception.Message)" -ForegroundColor Red
    Undo-Changes
    Write-Summary
    exit 2
}

# 5. What changed, and what is installed now.
Write-Summary
$DnsNames = @()
if ($Stored.PSObject.Properties['DnsNameList']) {
    $DnsNames = @($Stored.DnsNameList | ForEach-Object { $_.Unicode })
} else {
    $san = $Stored.Extensions | Where-Object { $_.Oid.Value -eq '2.5.29.17' }
    if ($san) { $DnsNames = @($san.Format($false)) }
}
Write-Host ''
Write-Host "Subject:        $($Stored.Subject)"
Write-Host "Thumbprint:     $($Stored.Thumbprint)"
Write-Host "DNS names:      $($DnsNames -join ', ')"
Write-Host "Expires:        $($Stored.NotAfter)"
Write-Host "Private key:    $($Stored.HasPrivateKey)"
Write-Host "OK: the thumbprint matches manifest.json ($ExpectedThumbprint)." -ForegroundColor Green
Write-Host ''
$NodeName = "<this node's host name>"
if ($null -ne $ThisNode) { $NodeName = $ThisNode }
Write-Host 'Next: bind this certificate to the TMG web listener or the IIS ARR site (https, port 443),'
Write-Host 'then record it on the Certdesk workstation:'
Write-Host "    certdesk deploy $RequestId --node $NodeName --verified-thumbprint $ExpectedThumbprint"
`;
}
