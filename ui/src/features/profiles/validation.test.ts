import { describe, expect, it } from 'vitest';
import { normalizeProfileInput, validateBootstrapServers, validateName, validateProfileInput } from './validation';

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

describe('validateProfileInput', () => {
  it('reports each bad field', () => {
    expect(validateProfileInput({ name: ' ', bootstrapServers: 'nope' })).toEqual({
      name: expect.any(String),
      bootstrapServers: expect.stringContaining('"nope"'),
    });
    expect(validateProfileInput({ name: 'ok', bootstrapServers: 'h:1' })).toEqual({});
  });

  it('normalises whitespace and empty entries before sending', () => {
    expect(normalizeProfileInput({ name: '  Prod ', bootstrapServers: ' a:1 ,  b:2 ,, ' })).toEqual({
      name: 'Prod',
      bootstrapServers: 'a:1,b:2',
    });
  });
});
