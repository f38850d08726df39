import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { renderWithProviders } from '../test/render';
import { TextViewer, wrapRows } from './TextViewer';

describe('text viewer', () => {
  it('cuts long lines into rows by counting characters', () => {
    expect(Array.from(wrapRows('abcdefghij', 4))).toEqual([0, 4, 8]);
    expect(Array.from(wrapRows('ab\ncdefg\n', 3))).toEqual([0, 3, 6, 9]);
  });

  it('renders only the rows in view of a 5 MB one-line value', () => {
    const blob = 'QUJD'.repeat(1_310_720);
    renderWithProviders(<TextViewer text={blob} data-testid="viewer" />);
    const viewer = screen.getByTestId('viewer');
    expect(Number(viewer.dataset.lines)).toBe(Math.ceil(blob.length / 100));
    // A screenful, not 52,429 rows.
    expect(viewer.textContent!.length).toBeLessThan(100 * 80);
    expect(viewer.textContent!.startsWith('QUJD')).toBe(true);
  });
});
