/**
 * The admin shell: language, antd theme and locale, Refine (router, data, i18n, resources from
 * /api/meta) and the routes. Pages are code-split with React.lazy.
 */
import {
  ApartmentOutlined,
  DashboardOutlined,
  FileProtectOutlined,
  LikeOutlined,
  SettingOutlined,
  StopOutlined,
  WarningOutlined,
} from '@ant-design/icons';
import { ThemedLayout, ThemedSider, useNotificationProvider } from '@refinedev/antd';
import { Refine } from '@refinedev/core';
import routerProvider from '@refinedev/react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App as AntdApp, ConfigProvider } from 'antd';
import enUS from 'antd/es/locale/en_US';
// `antd/locale/zh_CN` resolves to the CommonJS build and comes out English in the Vite bundle.
import zhCN from 'antd/es/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { type ComponentProps, lazy, type ReactNode, Suspense, useEffect, useMemo, useRef } from 'react';
import { BrowserRouter, Outlet, Route, Routes } from 'react-router';
import { AppTitle } from './components/AppTitle';
import { Header } from './components/Header';
import { PageLoading } from './components/states';
import { createI18nProvider } from './i18n';
import { I18nProviderRoot, useI18n } from './i18n/I18nContext';
import { MetaProvider, useMeta } from './meta/MetaContext';
import { buildResources, type IconKey } from './meta/resources';
import { createDataProvider } from './providers/data';
import { shouldRetry } from './providers/errors';
import '@refinedev/antd/dist/reset.css';
import './styles.css';

const HomePage = lazy(() => import('./pages/home/HomePage'));
const EntryListPage = lazy(() => import('./pages/entries/EntryListPage'));
const ConfigPage = lazy(() => import('./pages/config/ConfigPage'));
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'));

const icons: Record<IconKey, ReactNode> = {
  home: <DashboardOutlined />,
  config: <SettingOutlined />,
  black: <StopOutlined />,
  red: <LikeOutlined />,
  watch: <WarningOutlined />,
  record: <FileProtectOutlined />,
};

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: { queries: { refetchOnWindowFocus: false, retry: shouldRetry } },
  });
}

const defaultQueryClient = createQueryClient();

/**
 * Refine's sider with every group expanded. It computes its open groups when mounted, so it is
 * remounted (keyed by config version) once the menu from /api/meta is there.
 */
function AppSider(props: ComponentProps<typeof ThemedSider>) {
  const { meta } = useMeta();
  return <ThemedSider key={meta?.version ?? 'no-meta'} {...props} fixed siderItemsAreCollapsed={false} />;
}

function Shell({ queryClient }: { queryClient: QueryClient }) {
  const { locale, setLocale, t, pick } = useI18n();
  const { meta } = useMeta();

  useEffect(() => {
    dayjs.locale(locale === 'zh-CN' ? 'zh-cn' : 'en');
  }, [locale]);

  // The data provider reads the language at request time, so it is created once.
  const localeRef = useRef(locale);
  localeRef.current = locale;
  const dataProvider = useMemo(() => createDataProvider({ getLocale: () => localeRef.current }), []);
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
              element={
                <ThemedLayout Header={Header} Title={AppTitle} Sider={AppSider}>
                  <Suspense fallback={<PageLoading />}>
                    <Outlet />
                  </Suspense>
                </ThemedLayout>
              }
            >
              <Route index element={<HomePage />} />
              <Route path="/lists/:listId" element={<EntryListPage />} />
              <Route path="/config" element={<ConfigPage />} />
              <Route path="*" element={<NotFoundPage />} />
            </Route>
          </Routes>
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
