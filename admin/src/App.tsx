/**
 * The admin shell: language, antd theme and locale, Refine (router, data, auth, access control,
 * i18n, resources from /api/meta) and the routes. Pages are code-split with React.lazy; every
 * page but /login requires a session.
 */
import {
  ApartmentOutlined,
  AuditOutlined,
  BarChartOutlined,
  CloudSyncOutlined,
  FundOutlined,
  LineChartOutlined,
  ProjectOutlined,
  DashboardOutlined,
  FileProtectOutlined,
  KeyOutlined,
  LikeOutlined,
  ScheduleOutlined,
  SettingOutlined,
  StopOutlined,
  TeamOutlined,
  ToolOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { ThemedLayout, ThemedSider, useNotificationProvider } from '@refinedev/antd';
import { Authenticated, Refine } from '@refinedev/core';
import routerProvider, { UnsavedChangesNotifier } from '@refinedev/react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
// `antd/locale/zh_CN` resolves to the CommonJS build and comes out English in the Vite bundle.
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ComponentProps, lazy, type ReactNode, Suspense, useEffect, useMemo, useRef } from 'react';
import { BrowserRouter, Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { createAccessControlProvider } from './access/accessControl';
import { createAuthProvider } from './auth/authProvider';
import { PasswordGate } from './auth/ChangePasswordModal';
import { useSession } from './auth/session';
import { AppTitle } from './components/AppTitle';
import { Header } from './components/Header';
import { PageLoading } from './components/states';
import { createI18nProvider } from './i18n';
import { I18nProviderRoot, useI18n } from './i18n/I18nContext';
import { MetaProvider, useMeta } from './meta/MetaContext';
import { buildResources, type IconKey } from './meta/resources';
import type { Meta } from './meta/types';
import { createDataProvider } from './providers/data';
import { shouldRetry } from './providers/errors';
import '@refinedev/antd/dist/reset.css';
import './styles.css';

const LoginPage = lazy(() => import('./pages/login/LoginPage'));
const HomePage = lazy(() => import('./pages/home/HomePage'));
const TasksPage = lazy(() => import('./pages/tasks/TasksPage'));
const EntryListPage = lazy(() => import('./pages/entries/EntryListPage'));
const EntryShowPage = lazy(() => import('./pages/entries/EntryShowPage'));
const EntryCreatePage = lazy(() => import('./pages/entries/EntryCreatePage'));
const EntryEditPage = lazy(() => import('./pages/entries/EntryEditPage'));
const ImportPage = lazy(() => import('./pages/imports/ImportPage'));
const UsersPage = lazy(() => import('./pages/users/UsersPage'));
const ApiKeysPage = lazy(() => import('./pages/apiKeys/ApiKeysPage'));
const AuditPage = lazy(() => import('./pages/audit/AuditPage'));
const OutboxPage = lazy(() => import('./pages/outbox/OutboxPage'));
const ConfigPage = lazy(() => import('./pages/config/ConfigPage'));
const DashboardPage = lazy(() => import('./pages/reports/DashboardPage'));
const AssessmentPage = lazy(() => import('./pages/reports/AssessmentPage'));
const StatisticsPage = lazy(() => import('./pages/reports/StatisticsPage'));
const PlansPage = lazy(() => import('./pages/plans/PlansPage'));
const PlanPage = lazy(() => import('./pages/plans/PlanPage'));
const BulletinPage = lazy(() => import('./pages/plans/BulletinPage'));
const StudioPage = lazy(() => import('./pages/studio/StudioPage'));
const ListTypeEditorPage = lazy(() => import('./pages/studio/ListTypeEditorPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

const icons: Record<IconKey, ReactNode> = {
  home: <DashboardOutlined />,
  tasks: <ScheduleOutlined />,
  config: <SettingOutlined />,
  system: <ToolOutlined />,
  users: <TeamOutlined />,
  apiKeys: <KeyOutlined />,
  audit: <AuditOutlined />,
  outbox: <CloudSyncOutlined />,
  black: <StopOutlined />,
  red: <LikeOutlined />,
  watch: <WarningOutlined />,
  record: <FileProtectOutlined />,
  reports: <BarChartOutlined />,
  dashboard: <FundOutlined />,
  assessment: <AuditOutlined />,
  statistics: <LineChartOutlined />,
  plans: <ProjectOutlined />,
};

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: false, retry: shouldRetry } },
  });
}

const defaultQueryClient = createQueryClient();

/**
 * Refine's sider with every group expanded and without its own logout item (the header has one,
 * with a confirmation). It computes its open groups when mounted, so it is remounted (keyed by
 * config version and user) once the menu from /api/meta is there.
 */
function AppSider(props: ComponentProps<typeof ThemedSider>) {
  const { meta } = useMeta();
  const session = useSession();
  return (
    <ThemedSider
      key={`${meta?.version ?? 'no-meta'}:${session?.user.id ?? ''}`}
      {...props}
      fixed
      siderItemsAreCollapsed={false}
      render={({ items }) => items}
    />
  );
}

/** Pages below need a session; without one, go to /login and come back afterwards. */
function RequireAuth({ children }: { children: ReactNode }) {
  const session = useSession();
  const location = useLocation();
  if (!session) {
    const back = `${location.pathname}${location.search}`;
    const to = back && back !== '/' ? `?to=${encodeURIComponent(back)}` : '';
    return <Navigate to={`/login${to}`} replace />;
  }
  return (
    <Authenticated key={`auth:${session.user.id}`} redirectOnFail="/login" loading={<PageLoading />}>
      {children}
    </Authenticated>
  );
}

function Shell({ queryClient }: { queryClient: QueryClient }) {
  const { locale, setLocale, t, pick } = useI18n();
  const { meta } = useMeta();

  useEffect(() => {
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  }, [locale]);

  // Providers read the language and meta at call time, so they are created once.
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const metaRef = useRef<Meta | undefined>(meta);
  metaRef.current = meta;
  const dataProvider = useMemo(() => createDataProvider({ getLocale: () => localeRef.current }), []);
  const authProvider = useMemo(
    // Drop everything cached for the previous user once the login page is shown.
    () => createAuthProvider({ onLogout: () => setTimeout(() => queryClient.clear(), 0) }),
    [queryClient],
  );
  const accessControlProvider = useMemo(() => createAccessControlProvider(() => metaRef.current), []);
  const i18nProvider = useMemo(() => createI18nProvider(locale, setLocale), [locale, setLocale]);
  const resources = useMemo(() => buildResources(meta, { t, pick, icons }), [meta, t, pick]);
  const notificationProvider = useNotificationProvider;

  return (
    <ConfigProvider
      locale={locale === 'zh-CN' ? zhCN : enUS}
      theme={{ token: { colorPrimary: '#1f5fbf', borderRadius: 6 } }}
      button={{ autoInsertSpace: false }}
    >
      <AntdApp>
        <Refine
          routerProvider={routerProvider}
          dataProvider={dataProvider}
          authProvider={authProvider}
          accessControlProvider={accessControlProvider}
          i18nProvider={i18nProvider}
          notificationProvider={notificationProvider}
          resources={resources}
          options={{
            syncWithLocation: true,
            warnWhenUnsavedChanges: true,
            disableTelemetry: true,
            reactQuery: { clientConfig: queryClient },
            title: { text: t('app.title'), icon: <ApartmentOutlined /> },
          }}
        >
          <Routes>
            <Route
              path="/login"
              element={
                <Suspense fallback={<PageLoading />}>
                  <LoginPage />
                </Suspense>
              }
            />
            <Route
              element={
                <RequireAuth>
                  <ThemedLayout Header={Header} Title={AppTitle} Sider={AppSider}>
                    <PasswordGate />
                    <Suspense fallback={<PageLoading />}>
                      <Outlet />
                    </Suspense>
                  </ThemedLayout>
                </RequireAuth>
              }
            >
              <Route index element={<HomePage />} />
              <Route path="/tasks" element={<TasksPage />} />
              <Route path="/lists/:listId" element={<EntryListPage />} />
              <Route path="/lists/:listId/create" element={<EntryCreatePage />} />
              <Route path="/lists/:listId/import" element={<ImportPage />} />
              <Route path="/lists/:listId/show/:id" element={<EntryShowPage />} />
              <Route path="/lists/:listId/edit/:id" element={<EntryEditPage />} />
              <Route path="/system/users" element={<UsersPage />} />
              <Route path="/system/api-keys" element={<ApiKeysPage />} />
              <Route path="/system/audit" element={<AuditPage />} />
              <Route path="/system/outbox" element={<OutboxPage />} />
              <Route path="/config" element={<ConfigPage />} />
              <Route path="/reports/dashboard" element={<DashboardPage />} />
              <Route path="/reports/assessment" element={<AssessmentPage />} />
              <Route path="/reports/statistics" element={<StatisticsPage />} />
              <Route path="/plans" element={<PlansPage />} />
              <Route path="/plans/:planId" element={<PlanPage />} />
              <Route path="/plans/:planId/bulletin" element={<BulletinPage />} />
              <Route path="/config/studio" element={<StudioPage />} />
              <Route path="/config/studio/lists/:listId" element={<ListTypeEditorPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
          <UnsavedChangesNotifier />
        </Refine>
      </AntdApp>
    </ConfigProvider>
  );
}

export function App({ queryClient = defaultQueryClient }: { queryClient?: QueryClient }) {
  return (
    <I18nProviderRoot>
      <QueryClientProvider client={queryClient}>
        <MetaProvider>
          <BrowserRouter>
            <Shell queryClient={queryClient} />
          </BrowserRouter>
        </MetaProvider>
      </QueryClientProvider>
    </I18nProviderRoot>
  );
}
