import { proxyRulesComment } from './comments.js';
import { type ProxyConfigInput, backendsOf, LONG_POLL_TIMEOUT_SECONDS, listenOn, proxyFileNames, upstreamAddress } from './input.js';

function backendName(target: string, port: number): string {
  return `be_${target.replace(/[^a-z0-9]+/gi, '_')}_${port}`;
}

/**
 * A complete haproxy.cfg (HAProxy 2.6, Debian 12): a TLS frontend on 443 with the certificate
 * (strict SNI: a name the certificate does not carry is refused in the handshake), an HTTP
 * frontend on 80, routing by Host to one backend per internal target and port, HTTPS backends
 * verifying the internal CA (`ssl verify required ca-file`, SNI and name check on the internal
 * FQDN), and timeouts longer than Lync's 15-minute long polls. Any other Host is refused (403).
 */
export function renderHaproxy(input: ProxyConfigInput): string {
  const f = proxyFileNames(input.subject);
  const dir = input.installDir.replace(/\/+$/, '');
  const L: string[] = [];
  L.push(`# Certdesk reverse-proxy configuration for ${input.subject} (HAProxy 2.6+), generated ${input.generatedAt}.`);
  L.push('# A complete /etc/haproxy/haproxy.cfg. Files it reads, in ' + `${dir}/:`);
  L.push(`#   ${f.haproxyPem}  certificate, intermediates and unencrypted key in one PEM (mode 0600), made on`);
  L.push(`#     this node from the PFX by ${f.haproxyScript} (HAProxy cannot read an encrypted key unattended)`);
  L.push(`#   ${f.trustedCa}  the internal root CA (and intermediates) that issued the Lync servers' certificates`);
  if (input.certificate === null) {
    L.push(`# PLACEHOLDER: no certificate was chosen when this was generated; ${f.haproxyPem} must hold the issued`);
    L.push(`# certificate of ${input.subject} with its chain and key.`);
  } else {
    L.push(`# Certificate: thumbprint ${input.certificate.thumbprint}, valid until ${input.certificate.notAfter}.`);
  }
  L.push(...proxyRulesComment(input.rules));
  L.push('');
  L.push('global');
  L.push('    log /dev/log local0');
  L.push('    maxconn 4096');
  L.push('    ssl-default-bind-options ssl-min-ver TLSv1.2');
  L.push('    ssl-default-server-options ssl-min-ver TLSv1.2');
  L.push('');
  L.push('defaults');
  L.push('    mode http');
  L.push('    log global');
  L.push('    option httplog');
  L.push('    option forwardfor');
  L.push('    timeout connect 10s');
  L.push('    timeout http-request 30s');
  L.push(`    timeout client ${LONG_POLL_TIMEOUT_SECONDS}s`);
  L.push(`    timeout server ${LONG_POLL_TIMEOUT_SECONDS}s`);
  L.push('    timeout tunnel 1h');
  L.push('');
  for (const port of [443, 80] as const) {
    const rules = input.rules.filter((r) => r.externalPort === port);
    if (rules.length === 0) continue;
    const https = port === 443;
    L.push(`frontend certdesk_${https ? 'https' : 'http'}`);
    // HAProxy spells "all addresses" as an empty address before the port.
    L.push(`    bind ${input.listen === null ? `:${port}` : listenOn(input, port)}${https ? ` ssl crt ${dir}/${f.haproxyPem} strict-sni alpn http/1.1` : ''}`);
    // The Host header without its port decides; the names are the plan's A-labels (LDH only).
    L.push(`    acl certdesk_known hdr(host),field(1,:) -i ${[...new Set(rules.map((r) => r.externalName))].join(' ')}`);
    L.push('    http-request deny deny_status 403 unless certdesk_known');
    for (const b of backendsOf(rules)) {
      L.push(`    use_backend ${backendName(b.target, b.port)} if { hdr(host),field(1,:) -i ${b.names.join(' ')} }`);
    }
    L.push('');
  }
  for (const b of backendsOf(input.rules)) {
    L.push(`backend ${backendName(b.target, b.port)}`);
    const addr = `${upstreamAddress(input, b.target)}:${b.port}`;
    // The Host header passes through unchanged (HAProxy never rewrites it).
    L.push(
      b.https
        ? `    server ${b.target} ${addr} ssl verify required ca-file ${dir}/${f.trustedCa} sni str(${b.target}) verifyhost ${b.target} alpn http/1.1`
        : `    server ${b.target} ${addr}`,
    );
    L.push('');
  }
  return `${L.join('\n')}`;
}
