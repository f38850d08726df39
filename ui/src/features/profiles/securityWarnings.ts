/**
 * Settings in a connection's extra properties that quietly lower its security: the form's
 * own switches may say "verify" while an extra property turns verification off. The
 * editor and the connection header both show these, so the user always sees the truth.
 */
import type { SecurityProtocol } from '../../api/generated/SecurityProtocol';

export interface SecuritySettings {
  securityProtocol: SecurityProtocol;
  tls: { verifyHostname: boolean };
  extraProperties: Record<string, string>;
}

const STRENGTH: Record<string, number> = { plaintext: 0, sasl_plaintext: 1, ssl: 2, sasl_ssl: 3 };
const usesTls = (protocol: string) => protocol === 'ssl' || protocol === 'sasl_ssl';

/** One sentence per security-lowering setting; empty when there is none. */
export function loweredSecurity(settings: SecuritySettings): string[] {
  // Older or partial profiles may lack a field: absent reads as the default, never a crash.
  const extra = (key: string) => settings.extraProperties?.[key]?.trim().toLowerCase();
  const chosen = (settings.securityProtocol ?? 'PLAINTEXT').toLowerCase();
  const effective = extra('security.protocol') ?? chosen;
  const warnings: string[] = [];
  if (effective in STRENGTH && STRENGTH[effective] < STRENGTH[chosen]) {
    warnings.push(
      `Extra properties set security.protocol=${effective}, weaker than the chosen ${settings.securityProtocol}${
        usesTls(chosen) && !usesTls(effective) ? ': traffic is not encrypted' : ''
      }.`,
    );
  }
  if (usesTls(effective)) {
    if (extra('enable.ssl.certificate.verification') === 'false') {
      warnings.push("Extra properties turn certificate verification off (enable.ssl.certificate.verification=false): any server's certificate is accepted.");
    }
    if (extra('ssl.endpoint.identification.algorithm') === 'none' && settings.tls?.verifyHostname !== false) {
      warnings.push('Extra properties turn hostname verification off (ssl.endpoint.identification.algorithm=none), although the switch above says on.');
    }
  }
  return warnings;
}
