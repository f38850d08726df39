/** Saved connections: mirrors `src-tauri/src/commands/profiles.rs`. */
import { command } from './invoke';
import type { Profile } from './generated/Profile';
import type { ProfileInput } from './generated/ProfileInput';
import type { ProfileList } from './generated/ProfileList';
import type { StoreWarning } from './generated/StoreWarning';

export type { Profile, ProfileInput, ProfileList, StoreWarning };

export function listProfiles(): Promise<ProfileList> {
  return command<ProfileList>('profiles_list');
}

export function createProfile(input: ProfileInput): Promise<Profile> {
  return command<Profile>('profiles_create', { input });
}

export function deleteProfile(id: string): Promise<void> {
  return command<void>('profiles_delete', { id });
}
