import { screen, within } from '@testing-library/react';
import { expect, test } from 'vitest';
import { card, renderPane, settingsHeading } from './helpers.tsx';

test('smoke: silent IWA ends in settings with IWA active', async () => {
  renderPane();
  await settingsHeading();
  expect(
    within(await screen.findByRole('group', { name: /Windows sign-in/ })).getByText('Active'),
  ).toBeInTheDocument();
  expect(card(/Windows sign-in/)).toBeInTheDocument();
});
