import { describe, expect, it } from 'vitest';
import { screen, waitFor } from '@testing-library/react';

const listed = () => [...document.querySelectorAll('[data-combobox-option]')].map((o) => o.textContent);
import { renderWithProviders } from '../../test/render';
import { TOPIC_OPTIONS_SHOWN, TopicSelect } from './TopicSelect';

const TOPICS = Array.from({ length: 10_000 }, (_, i) => ({ name: `topic-${String(i).padStart(5, '0')}`, partitions: 1 }));

describe('topic select', () => {
  it('lists a bounded number of 10,000 topics, and typing finds any of them', async () => {
    const { user } = renderWithProviders(<TopicSelect label="Topic" topics={TOPICS} value={null} onChange={() => {}} data-testid="t" />);
    await user.click(screen.getByTestId('t'));
    await waitFor(() => expect(listed()).toHaveLength(TOPIC_OPTIONS_SHOWN));
    await user.type(screen.getByTestId('t'), 'topic-09999');
    await waitFor(() => expect(listed()).toEqual(['topic-09999']));
  });
});
