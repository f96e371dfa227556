import type { PublishingRule } from '../../common/plan.js';
import { proxyRulesComment } from './comments.js';
import { type ProxyConfigInput, backendsOf, LONG_POLL_TIMEOUT_SECONDS, proxyFileNames, upstreamAddress } from './input.js';

/** A PowerShell single-quoted string: the only escape is a doubled quote. */
function psq(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

function farmName(target: string): string {
  return `Certdesk-${target}`;
}

function hostPattern(names: readonly string[]): string {
  return `^(${names.map((n) => n.replace(/[.*]/g, (c) => (c === '.' ? '\\.' : '[^.]+'))).join('|')})$`;
}

/** One URL Rewrite global rule per internal target and protocol: route these Host headers to that farm. */
function rewriteRules(rules: readonly PublishingRule[]): { name: string; farm: string; https: boolean; pattern: string; names: string[] }[] {
  return backendsOf(rules).map((b) => ({
    name: `Certdesk ${b.target} ${b.https ? 'HTTPS' : 'HTTP'} ${b.port}`,
    farm: farmName(b.target),
    https: b.https,
    pattern: hostPattern(b.names),
    names: b.names,
  }));
}

/**
 * A PowerShell script for IIS Application Request Routing and URL Rewrite (WebAdministration module,
 * Windows Server 2008 R2 to 2022): one server farm per internal target with its HTTP and HTTPS
 * ports, one URL Rewrite global rule per target and protocol routing the plan's host names there,
 * the proxy's timeout and response buffering set for Lync's long polls, and the 443 binding of the
 * site to the certificate by thumbprint (one SNI binding per name on Server 2012 and later, one
 * IP binding on 2008 R2, which has no SNI). Idempotent: a second run changes nothing and says so.
 * It takes no password (the certificate is imported beforehand) and prints every change.
 */
export function renderIisArr(input: ProxyConfigInput): string {
  const f = proxyFileNames(input.subject);
  const farms = new Map<string, { http: number; https: number; address: string }>();
  for (const b of backendsOf(input.rules)) {
    const farm = farms.get(b.target) ?? { http: 80, https: 443, address: upstreamAddress(input, b.target).replace(/^\[|\]$/g, '') };
    if (b.https) farm.https = b.port;
    else farm.http = b.port;
    farms.set(b.target, farm);
  }
  const httpsNames = [...new Set(input.rules.filter((r) => r.externalPort === 443).map((r) => r.externalName))];
  const L: string[] = [];
  L.push(`# ${f.iisScript}: Certdesk reverse-proxy configuration for ${input.subject} (IIS ARR + URL Rewrite), generated ${input.generatedAt}.`);
  L.push('# Run in an elevated Windows PowerShell on the IIS ARR node (Windows Server 2008 R2 to 2022, ARR 2.5+ and URL Rewrite 2 installed):');
  L.push(`#     powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${f.iisScript}`);
  L.push('# It takes no parameters and no password: import the certificate first (Install-Certificate.ps1 of a');
  L.push('# Certdesk bundle, or mmc > Certificates (Local Computer) > Personal > Import), and trust the internal root CA.');
  L.push('# Safe to run again: what is already right is left alone; every change is printed.');
  L.push('# Certdesk checked this script as text only (it cannot run IIS where it was made): review it before running.');
  L.push(...proxyRulesComment(input.rules));
  L.push('');
  L.push("$ErrorActionPreference = 'Stop'");
  L.push('Import-Module WebAdministration');
  L.push(`$SiteName = 'Default Web Site'   # the site that publishes Lync on this node`);
  L.push(`$ListenIp = ${psq(input.listen ?? '*')}`);
  L.push(
    input.certificate === null
      ? `$Thumbprint = 'PUT-THE-THUMBPRINT-HERE'   # PLACEHOLDER: the SHA-1 thumbprint of the certificate of ${input.subject}`
      : `$Thumbprint = ${psq(input.certificate.thumbprint)}   # ${input.certificate.friendlyName}, valid until ${input.certificate.notAfter}`,
  );
  L.push('$Apphost = \'MACHINE/WEBROOT/APPHOST\'');
  L.push('$Changes = New-Object System.Collections.ArrayList');
  L.push('function Note-Change([string]$What) { [void]$Changes.Add($What); Write-Host "changed: $What" }');
  L.push('');
  L.push("if ($Thumbprint -notmatch '^[0-9A-Fa-f]{40}$') { throw 'Set $Thumbprint to the certificate thumbprint (40 hex digits) first.' }");
  L.push('$Certificate = Get-Item -Path "Cert:\\LocalMachine\\My\\$Thumbprint" -ErrorAction SilentlyContinue');
  L.push(`if (-not $Certificate) { throw "The certificate $Thumbprint is not in Local Computer > Personal: import ${input.pfxFileName ?? f.pfx} first." }`);
  L.push('');
  L.push('# ARR as a proxy: keep the original Host header, no response buffering, a timeout above the 15-minute long polls.');
  L.push("$Proxy = Get-WebConfiguration -PSPath $Apphost -Filter 'system.webServer/proxy'");
  L.push(`$Wanted = @{ enabled = $true; preserveHostHeader = $true; reverseRewriteHostInResponseHeaders = $false; responseBufferLimit = 0; timeout = [TimeSpan]::FromSeconds(${LONG_POLL_TIMEOUT_SECONDS}) }`);
  L.push('foreach ($Name in $Wanted.Keys) {');
  L.push('  if ($Proxy.$Name -ne $Wanted[$Name]) {');
  L.push("    Set-WebConfigurationProperty -PSPath $Apphost -Filter 'system.webServer/proxy' -Name $Name -Value $Wanted[$Name]");
  L.push('    Note-Change "proxy $Name = $($Wanted[$Name])"');
  L.push('  }');
  L.push('}');
  L.push('');
  L.push('function Set-CertdeskFarm([string]$Farm, [string]$Address, [int]$HttpPort, [int]$HttpsPort) {');
  L.push('  $FarmPath = "webFarms/webFarm[@name=\'$Farm\']"');
  L.push("  if (-not (Get-WebConfiguration -PSPath $Apphost -Filter $FarmPath)) {");
  L.push("    Add-WebConfigurationProperty -PSPath $Apphost -Filter 'webFarms' -Name '.' -Value @{ name = $Farm }");
  L.push('    Note-Change "server farm $Farm created"');
  L.push('  }');
  L.push('  $ServerPath = "$FarmPath/server[@address=\'$Address\']"');
  L.push('  if (-not (Get-WebConfiguration -PSPath $Apphost -Filter $ServerPath)) {');
  L.push("    Add-WebConfigurationProperty -PSPath $Apphost -Filter $FarmPath -Name '.' -Value @{ address = $Address; enabled = $true }");
  L.push('    Note-Change "server $Address added to $Farm"');
  L.push('  }');
  L.push("  $Arr = Get-WebConfiguration -PSPath $Apphost -Filter \"$ServerPath/applicationRequestRouting\"");
  L.push("  if ($Arr.httpPort -ne $HttpPort) { Set-WebConfigurationProperty -PSPath $Apphost -Filter \"$ServerPath/applicationRequestRouting\" -Name httpPort -Value $HttpPort; Note-Change \"$Farm HTTP port $HttpPort\" }");
  L.push("  if ($Arr.httpsPort -ne $HttpsPort) { Set-WebConfigurationProperty -PSPath $Apphost -Filter \"$ServerPath/applicationRequestRouting\" -Name httpsPort -Value $HttpsPort; Note-Change \"$Farm HTTPS port $HttpsPort\" }");
  L.push('}');
  L.push('');
  L.push('function Set-CertdeskRule([string]$Rule, [string]$HostPattern, [string]$HttpsState, [string]$Url) {');
  L.push('  $RulePath = "system.webServer/rewrite/globalRules/rule[@name=\'$Rule\']"');
  L.push('  $Existing = Get-WebConfiguration -PSPath $Apphost -Filter $RulePath');
  L.push('  if ($Existing) {');
  L.push("    $HostCondition = Get-WebConfiguration -PSPath $Apphost -Filter \"$RulePath/conditions/add[@input='{HTTP_HOST}']\"");
  L.push("    $Action = Get-WebConfiguration -PSPath $Apphost -Filter \"$RulePath/action\"");
  L.push('    if ($HostCondition -and $HostCondition.pattern -eq $HostPattern -and $Action.url -eq $Url) { return }');
  L.push('    Clear-WebConfiguration -PSPath $Apphost -Filter $RulePath');
  L.push('    Note-Change "URL Rewrite rule $Rule replaced"');
  L.push('  } else { Note-Change "URL Rewrite rule $Rule created" }');
  L.push("  Add-WebConfigurationProperty -PSPath $Apphost -Filter 'system.webServer/rewrite/globalRules' -Name '.' -Value @{ name = $Rule; patternSyntax = 'ECMAScript'; stopProcessing = $true }");
  L.push("  Set-WebConfigurationProperty -PSPath $Apphost -Filter \"$RulePath/match\" -Name url -Value '.*'");
  L.push("  Add-WebConfigurationProperty -PSPath $Apphost -Filter \"$RulePath/conditions\" -Name '.' -Value @{ input = '{HTTP_HOST}'; pattern = $HostPattern }");
  L.push("  Add-WebConfigurationProperty -PSPath $Apphost -Filter \"$RulePath/conditions\" -Name '.' -Value @{ input = '{HTTPS}'; pattern = $HttpsState }");
  L.push("  Set-WebConfigurationProperty -PSPath $Apphost -Filter \"$RulePath/action\" -Name type -Value 'Rewrite'");
  L.push("  Set-WebConfigurationProperty -PSPath $Apphost -Filter \"$RulePath/action\" -Name url -Value $Url");
  L.push('}');
  L.push('');
  L.push('# One server farm per internal target (its HTTP and HTTPS ports).');
  for (const [target, farm] of farms) {
    L.push(`Set-CertdeskFarm -Farm ${psq(farmName(target))} -Address ${psq(farm.address)} -HttpPort ${farm.http} -HttpsPort ${farm.https}`);
  }
  L.push('');
  L.push('# One URL Rewrite rule per internal target and protocol: these host names go to that farm.');
  for (const r of rewriteRules(input.rules)) {
    L.push(`# ${r.names.join(', ')}`);
    L.push(`Set-CertdeskRule -Rule ${psq(r.name)} -HostPattern ${psq(r.pattern)} -HttpsState ${psq(r.https ? '^ON$' : '^OFF$')} -Url ${psq(`${r.https ? 'https' : 'http'}://${r.farm}/{R:0}`)}`);
  }
  L.push('');
  if (httpsNames.length > 0) {
    L.push('# The 443 binding of the site with the certificate: SNI per name from Windows Server 2012 (6.2), one IP binding on 2008 R2.');
    L.push(`$HttpsNames = @(${httpsNames.map(psq).join(', ')})`);
    L.push("$SniSupported = [Environment]::OSVersion.Version -ge [Version]'6.2'");
    L.push("$SslIp = if ($ListenIp -eq '*') { '0.0.0.0' } else { $ListenIp }");
    L.push('function Set-CertdeskSslBinding([string]$Path, [int]$Flags) {');
    L.push('  $Current = Get-Item -Path $Path -ErrorAction SilentlyContinue');
    L.push('  if ($Current -and $Current.Thumbprint -eq $Thumbprint) { return }');
    L.push('  if ($Current) { Remove-Item -Path $Path }');
    L.push('  if ($Flags -eq 1) { New-Item -Path $Path -Value $Certificate -SSLFlags 1 | Out-Null } else { New-Item -Path $Path -Value $Certificate | Out-Null }');
    L.push('  Note-Change "certificate $Thumbprint bound at $Path"');
    L.push('}');
    L.push('if ($SniSupported) {');
    L.push('  foreach ($Name in $HttpsNames) {');
    L.push('    if (-not (Get-WebBinding -Name $SiteName -Protocol https -Port 443 -HostHeader $Name)) {');
    L.push('      New-WebBinding -Name $SiteName -Protocol https -Port 443 -IPAddress $ListenIp -HostHeader $Name -SslFlags 1');
    L.push('      Note-Change "https binding for $Name on $SiteName"');
    L.push('    }');
    L.push('    Set-CertdeskSslBinding -Path "IIS:\\SslBindings\\!443!$Name" -Flags 1');
    L.push('  }');
    L.push('} else {');
    L.push("  if (-not (Get-WebBinding -Name $SiteName -Protocol https -Port 443 | Where-Object { $_.bindingInformation -eq \"$($ListenIp):443:\" })) {");
    L.push('    New-WebBinding -Name $SiteName -Protocol https -Port 443 -IPAddress $ListenIp');
    L.push('    Note-Change "https binding on $SiteName"');
    L.push('  }');
    L.push('  Set-CertdeskSslBinding -Path "IIS:\\SslBindings\\$SslIp!443" -Flags 0');
    L.push('}');
    L.push('');
  }
  L.push("if ($Changes.Count -eq 0) { Write-Host 'Nothing to change: IIS ARR already publishes these rules.' } else { Write-Host \"$($Changes.Count) change(s) made.\" }");
  return `${L.join('\r\n')}\r\n`;
}
