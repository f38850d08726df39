import { describe, expect, it } from 'vitest';
import { screen } from '@testing-library/react';
import { renderWithProviders } from '../../test/render';
import { JobProgressBar } from './JobProgressBar';

describe('job progress bar', () => {
  it('marks a total that is still an estimate, and drops the mark once it is exact', () => {
    const { rerender } = renderWithProviders(
      <JobProgressBar label="Sent" progress={{ done: 1200, total: 1_000_000, estimated: true }} onCancel={() => {}} />,
    );
    expect(screen.getByTestId('job-progress').textContent).toContain('1.2K / ≈ 1M');
    rerender(<JobProgressBar label="Sent" progress={{ done: 1200, total: 999_990 }} onCancel={() => {}} />);
    expect(screen.getByTestId('job-progress').textContent).not.toContain('≈');
  });
});
