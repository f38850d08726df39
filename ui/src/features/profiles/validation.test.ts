import { describe, expect, it } from 'vitest';
import { emptyInput, type ProfileInput } from '../../api/profiles';
import {
  formatProperties,
  normalizeProfileInput,
  parseProperties,
  validateBootstrapServers,
  validateName,
  validateProfileInput,
} from './validation';

describe('validateName', () => {
  it('rejects empty, blank and over-long names', () => {
    expect(validateName('')).toBeDefined();
    expect(validateName('   ')).toBeDefined();
    expect(validateName('x'.repeat(101))).toContain('100');
  });
  it('accepts a name', () => {
    expect(validateName('Prod')).toBeUndefined();
    expect(validateName('x'.repeat(100))).toBeUndefined();
  });
});

describe('validateBootstrapServers (mirrors profiles::normalize_bootstrap)', () => {
  it.each([
    'localhost:9092',
    '127.0.0.1:19092,127.0.0.1:29092,127.0.0.1:39092',
    'a.example.com:1, b.example.com:65535',
    ' a:9092 , b:9093,,PLAINTEXT://c:9094 ',
    '[::1]:9092',
  ])('accepts %j', (value) => {
    expect(validateBootstrapServers(value)).toBeUndefined();
  });

  it.each([
    ['', 'at least one'],
    [' , ', 'at least one'],
    ['localhost', 'no port'],
    [':9092', 'no valid host'],
    ['a:9092,b c:9092', 'no valid host'],
    ['localhost:', 'from 1 to 65535'],
    ['localhost:0', 'from 1 to 65535'],
    ['localhost:70000', 'from 1 to 65535'],
    ['localhost:abc', 'from 1 to 65535'],
  ])('rejects %j', (value, fragment) => {
    expect(validateBootstrapServers(value)).toContain(fragment);
  });
});

const input = (patch: Partial<ProfileInput>): ProfileInput => ({ ...emptyInput(), ...patch });

describe('validateProfileInput', () => {
  it('reports each bad field', () => {
    expect(validateProfileInput(input({ name: ' ', bootstrapServers: 'nope' }))).toEqual({
      name: expect.any(String),
      bootstrapServers: expect.stringContaining('"nope"'),
    });
    expect(validateProfileInput(input({ name: 'ok', bootstrapServers: 'h:1' }))).toEqual({});
  });

  it('asks for SASL settings only on SASL protocols, and accepts a saved password', () => {
    const sasl = input({ name: 'ok', bootstrapServers: 'h:1', securityProtocol: 'SASL_SSL' });
    expect(validateProfileInput(sasl)).toEqual({
      saslMechanism: expect.any(String),
      saslUsername: expect.any(String),
      saslPassword: expect.any(String),
    });
    const filled = { ...sasl, saslMechanism: 'SCRAM-SHA-512' as const, saslUsername: 'bob' };
    expect(validateProfileInput(filled, true)).toEqual({});
    expect(validateProfileInput(input({ name: 'ok', bootstrapServers: 'h:1', color: 'red' }))).toEqual({
      color: expect.any(String),
    });
  });

  it('normalises whitespace and empty entries before sending', () => {
    const normalized = normalizeProfileInput(input({ name: '  Prod ', bootstrapServers: ' a:1 ,  b:2 ,, ' }));
    expect(normalized.name).toBe('Prod');
    expect(normalized.bootstrapServers).toBe('a:1,b:2');
  });
});

describe('extra properties text', () => {
  it('round-trips key=value lines and skips comments', () => {
    const props = parseProperties('# tuning\nlinger.ms = 5\n\nsasl.oauthbearer.client.secret=\n');
    expect(props).toEqual({ 'linger.ms': '5', 'sasl.oauthbearer.client.secret': '' });
    expect(parseProperties(formatProperties(props))).toEqual(props);
  });
});
