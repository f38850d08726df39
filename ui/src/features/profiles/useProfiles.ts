/**
 * The saved connections: loads them once, and keeps the list in step with
 * create/delete without reloading. Errors go to the caller's `onError`
 * (the app's error banner) except where the caller wants them back
 * (create, so field errors can sit under their field).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  createProfile,
  deleteProfile,
  duplicateProfile,
  listProfiles,
  updateProfile,
  type Profile,
  type ProfileInput,
  type SecretStorage,
  type StoreWarning,
} from '../../api/profiles';
import type { AppError } from '../../api/errors';

export interface ProfilesState {
  profiles: Profile[];
  warning: StoreWarning | null;
  secretStorage: SecretStorage | null;
  /** Profiles the backend holds a live connection for (as of the last list). */
  connected: string[];
  /** True until the first list arrives (or fails). */
  loading: boolean;
  reload: () => Promise<void>;
  /** Rejects with the backend's AppError; on success the profile is already in `profiles`. */
  create: (input: ProfileInput) => Promise<Profile>;
  update: (id: string, input: ProfileInput) => Promise<Profile>;
  duplicate: (id: string) => Promise<Profile>;
  /** Rejects with the backend's AppError; on success the profile is gone from `profiles`. */
  remove: (id: string) => Promise<void>;
  dismissWarning: () => void;
}

export function useProfiles(onError: (error: AppError) => void): ProfilesState {
  const [profiles, setProfiles] = useState<Profile[]>([]);
  const [warning, setWarning] = useState<StoreWarning | null>(null);
  const [secretStorage, setSecretStorage] = useState<SecretStorage | null>(null);
  const [connected, setConnected] = useState<string[]>([]);
  const [loading, setLoading] = useState(true);
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;

  const reload = useCallback(async () => {
    try {
      const list = await listProfiles();
      setProfiles(list.profiles);
      setWarning(list.warning);
      setSecretStorage(list.secretStorage ?? null);
      setConnected(list.connected ?? []);
    } catch (error) {
      onErrorRef.current(error as AppError);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void reload();
  }, [reload]);

  const create = useCallback(async (input: ProfileInput) => {
    const profile = await createProfile(input);
    setProfiles((current) => [...current.filter((p) => p.id !== profile.id), profile]);
    return profile;
  }, []);

  const update = useCallback(async (id: string, input: ProfileInput) => {
    const profile = await updateProfile(id, input);
    setProfiles((current) => current.map((p) => (p.id === id ? profile : p)));
    return profile;
  }, []);

  const duplicate = useCallback(async (id: string) => {
    const profile = await duplicateProfile(id);
    setProfiles((current) => [...current, profile]);
    return profile;
  }, []);

  const remove = useCallback(async (id: string) => {
    await deleteProfile(id);
    setProfiles((current) => current.filter((p) => p.id !== id));
  }, []);

  const dismissWarning = useCallback(() => setWarning(null), []);

  return { profiles, warning, secretStorage, connected, loading, reload, create, update, duplicate, remove, dismissWarning };
}
