/**
 * The connected cluster's workspace: one tab per feature room (brokers, topics, ...).
 * A feature adds itself by adding an entry to `tabs` below; `mod+1..9` switch tabs.
 * The tab bar stays one line at any window width: it scrolls sideways when the tabs do
 * not fit (the minimum 900 px window), and the chosen tab is scrolled into view.
 */
import { lazy, Suspense, useEffect, useRef, useState, type ReactNode } from 'react';
import { Loader, Tabs } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { AclsTabIcon, AclsView } from '../acls/AclsView';
import { IconAdjustments, IconArrowsShuffle, IconList, IconMessages, IconPlugConnected, IconSchema, IconServer2, IconUsersGroup } from '@tabler/icons-react';
import { ClusterOverview, type ClusterOverviewProps } from './ClusterOverview';

// Each room's views load the first time their tab opens (the window starts lighter).
const GroupsView = lazy(() => import('../groups/GroupsView').then((m) => ({ default: m.GroupsView })));
const MessagesView = lazy(() => import('../messages/MessagesView').then((m) => ({ default: m.MessagesView })));
const BrokerConfigsView = lazy(() => import('../topics/BrokerConfigsView').then((m) => ({ default: m.BrokerConfigsView })));
const TopicsView = lazy(() => import('../topics/TopicsView').then((m) => ({ default: m.TopicsView })));
const SchemasView = lazy(() => import('../schemas/SchemasView').then((m) => ({ default: m.SchemasView })));
const ConnectView = lazy(() => import('../connect/ConnectView').then((m) => ({ default: m.ConnectView })));
const OperationsView = lazy(() => import('../operations/OperationsView').then((m) => ({ default: m.OperationsView })));

interface WorkspaceTab {
  value: string;
  label: string;
  icon: ReactNode;
  render: () => ReactNode;
}

export function ClusterWorkspace(props: ClusterOverviewProps) {
  const tabs: WorkspaceTab[] = [
    {
      value: 'brokers',
      label: 'Brokers',
      icon: <IconServer2 size={15} />,
      render: () => <ClusterOverview {...props} />,
    },
    {
      value: 'topics',
      label: 'Topics',
      icon: <IconList size={15} />,
      render: () => <TopicsView profile={props.profile} />,
    },
    {
      value: 'messages',
      label: 'Messages',
      icon: <IconMessages size={15} />,
      render: () => <MessagesView profileId={props.profile.id} />,
    },
    {
      value: 'groups',
      label: 'Groups',
      icon: <IconUsersGroup size={15} />,
      render: () => <GroupsView profile={props.profile} />,
    },
    {
      value: 'broker-configs',
      label: 'Broker configs',
      icon: <IconAdjustments size={15} />,
      render: () => <BrokerConfigsView profileId={props.profile.id} brokers={props.overview.brokers} />,
    },
    {
      value: 'schemas',
      label: 'Schemas',
      icon: <IconSchema size={15} />,
      render: () => <SchemasView profile={props.profile} />,
    },
    {
      value: 'acls',
      label: 'Security',
      icon: <AclsTabIcon />,
      render: () => <AclsView profile={props.profile} />,
    },
    {
      value: 'connect',
      label: 'Connect',
      icon: <IconPlugConnected size={15} />,
      render: () => <ConnectView profile={props.profile} />,
    },
    {
      value: 'operations',
      label: 'Operations',
      icon: <IconArrowsShuffle size={15} />,
      render: () => <OperationsView profile={props.profile} brokers={props.overview.brokers} />,
    },
  ];
  const [active, setActive] = useState(tabs[0].value);
  useHotkeys(tabs.slice(0, 9).map((tab, i) => [`mod+${i + 1}`, () => setActive(tab.value)]));
  const tabBar = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // A tab chosen by shortcut may sit past the bar's edge in a narrow window.
    tabBar.current?.querySelector('[data-active]')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [active]);

  return (
    <Tabs value={active} onChange={(v) => v && setActive(v)} keepMounted={false} data-testid="cluster-workspace">
      {/* A plain scroller: it takes its parent's width, so tabs past its edge never widen the page. */}
      <div ref={tabBar} className="kd-workspace-tab-bar" data-testid="workspace-tab-bar">
        <Tabs.List className="kd-workspace-tabs">
          {tabs.map((tab) => (
            <Tabs.Tab key={tab.value} value={tab.value} leftSection={tab.icon} data-testid={`tab-${tab.value}`}>
              {tab.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </div>
      {tabs.map((tab) => (
        <Tabs.Panel key={tab.value} value={tab.value}>
          <Suspense fallback={<Loader size="sm" />}>{tab.render()}</Suspense>
        </Tabs.Panel>
      ))}
    </Tabs>
  );
}
