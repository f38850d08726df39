/**
 * The "Security" tab: ACL bindings, a grant wizard, "who can do what" and SCRAM users.
 * Read-only profiles see everything and change nothing (the backend refuses too).
 */
import { useState } from 'react';
import { SegmentedControl, Stack } from '@mantine/core';
import { IconShieldLock } from '@tabler/icons-react';
import type { Profile } from '../../api/profiles';
import { AclsList } from './AclsList';
import { EffectivePanel } from './EffectivePanel';
import { GrantWizard } from './GrantWizard';
import { ScramUsersPanel } from './ScramUsersPanel';

/** The workspace tab's icon. */
export function AclsTabIcon() {
  return <IconShieldLock size={15} />;
}

type Section = 'bindings' | 'grant' | 'effective' | 'users';

export function AclsView({ profile }: { profile: Profile }) {
  const [section, setSection] = useState<Section>('bindings');
  return (
    <Stack gap="sm" data-testid="acls-view">
      <SegmentedControl
        size="xs"
        w="fit-content"
        value={section}
        onChange={(v) => setSection(v as Section)}
        data={[
          { value: 'bindings', label: <span data-testid="acls-section-bindings">ACL bindings</span> },
          { value: 'grant', label: <span data-testid="acls-section-grant">Grant wizard</span> },
          { value: 'effective', label: <span data-testid="acls-section-effective">Who can do what</span> },
          { value: 'users', label: <span data-testid="acls-section-users">SCRAM users</span> },
        ]}
        data-testid="acls-sections"
      />
      {section === 'bindings' ? <AclsList profile={profile} onGrant={() => setSection('grant')} /> : null}
      {section === 'grant' ? <GrantWizard profile={profile} onDone={() => setSection('bindings')} /> : null}
      {section === 'effective' ? <EffectivePanel profile={profile} /> : null}
      {section === 'users' ? <ScramUsersPanel profile={profile} /> : null}
    </Stack>
  );
}
