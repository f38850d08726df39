import type { ReactElement } from 'react';
import { render, type RenderResult } from '@testing-library/react';
import userEvent, { type UserEvent } from '@testing-library/user-event';
import { AppProviders } from '../app/AppProviders';

/** Renders inside the app's providers (theme, notifications) and returns a user-event session. */
export function renderWithProviders(ui: ReactElement): RenderResult & { user: UserEvent } {
  const user = userEvent.setup();
  const result = render(ui, { wrapper: AppProviders });
  return { ...result, user };
}
