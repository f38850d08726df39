import { describe, expect, it } from 'vitest';
import { loweredSecurity } from './securityWarnings';

const base = { securityProtocol: 'SASL_SSL' as const, tls: { verifyHostname: true }, extraProperties: {} };

describe('loweredSecurity', () => {
  it('is empty for a connection whose extras change nothing about security', () => {
    expect(loweredSecurity({ ...base, extraProperties: { 'linger.ms': '5' } })).toEqual([]);
  });

  it('names certificate and hostname verification turned off by extras', () => {
    const warnings = loweredSecurity({
      ...base,
      extraProperties: { 'enable.ssl.certificate.verification': 'False', 'ssl.endpoint.identification.algorithm': 'none' },
    });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('certificate verification off');
    expect(warnings[1]).toContain('hostname verification off');
  });

  it('names a protocol downgrade, and ignores TLS extras on a plaintext connection', () => {
    const [warning] = loweredSecurity({ ...base, extraProperties: { 'security.protocol': 'SASL_PLAINTEXT' } });
    expect(warning).toContain('not encrypted');
    expect(loweredSecurity({ ...base, securityProtocol: 'PLAINTEXT', extraProperties: { 'enable.ssl.certificate.verification': 'false' } })).toEqual([]);
  });
});
