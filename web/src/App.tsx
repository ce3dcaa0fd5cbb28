import { lazy, Suspense } from 'react'
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { createBrowserRouter, Navigate, RouterProvider } from 'react-router-dom'
import { Toaster } from 'sonner'
import { routerBase } from './config'
import { isApiError } from './api/problem'
import { RequireAuth } from './components/layout/RequireAuth'
import { AppShell } from './components/layout/AppShell'
import { PageFallback, RouteError } from './components/layout/RouteError'
import { useTheme } from './hooks/useTheme'

const LoginPage = lazy(() => import('./pages/auth/LoginPage'))
const RegisterPage = lazy(() => import('./pages/auth/RegisterPage'))
const DashboardPage = lazy(() => import('./pages/dashboard/DashboardPage'))
const PipelinePage = lazy(() => import('./pages/pipeline/PipelinePage'))
const LeadsPage = lazy(() => import('./pages/lists/LeadsPage'))
const ContactsPage = lazy(() => import('./pages/lists/ContactsPage'))
const CompaniesPage = lazy(() => import('./pages/lists/CompaniesPage'))
const LeadPage = lazy(() => import('./pages/lead/LeadPage'))
const ContactPage = lazy(() => import('./pages/contact/ContactPage'))
const CompanyPage = lazy(() => import('./pages/company/CompanyPage'))
const ProjectsPage = lazy(() => import('./pages/lists/ProjectsPage'))
const ProjectPage = lazy(() => import('./pages/project/ProjectPage'))
const TasksPage = lazy(() => import('./pages/tasks/TasksPage'))
const CalendarPage = lazy(() => import('./pages/calendar/CalendarPage'))
const TeamPage = lazy(() => import('./pages/settings/TeamPage'))
const PipelinesPage = lazy(() => import('./pages/settings/PipelinesPage'))
const ProfilePage = lazy(() => import('./pages/settings/ProfilePage'))
const PreferencesPage = lazy(() => import('./pages/settings/preferences/PreferencesPage'))
const CustomFieldsPage = lazy(() => import('./pages/settings/CustomFieldsPage'))
const SecurityPage = lazy(() => import('./pages/settings/security/SecurityPage'))
const ApiKeysPage = lazy(() => import('./pages/settings/ApiKeysPage'))
const WorkspacePage = lazy(() => import('./pages/settings/WorkspacePage'))
const FeedbackAdminPage = lazy(() => import('./pages/settings/FeedbackAdminPage'))
const ForgotPasswordPage = lazy(() => import('./pages/auth/ForgotPasswordPage'))
const ResetPasswordPage = lazy(() => import('./pages/auth/ResetPasswordPage'))
const VerifyEmailPage = lazy(() => import('./pages/auth/VerifyEmailPage'))
const AcceptInvitePage = lazy(() => import('./pages/auth/AcceptInvitePage'))
const NotFoundPage = lazy(() => import('./pages/NotFoundPage'))

/**
 * An organization that requires 2FA answers 403 `two_factor_required` to a
 * member without it: send them to Security, which explains and sets it up.
 */
function onApiError(error: unknown) {
  if (isApiError(error) && error.code === 'two_factor_required' && !window.location.pathname.endsWith('/settings/security')) {
    void router.navigate('/settings/security?required=2fa')
  }
}

const queryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      refetchOnWindowFocus: false,
      // 4xx answers will not change by asking again.
      retry: (count, error) => !(isApiError(error) && error.status < 500) && count < 2,
    },
  },
})

const lazyPage = (el: React.ReactNode) => <Suspense fallback={<PageFallback />}>{el}</Suspense>

const router = createBrowserRouter(
  [
    { path: '/login', element: lazyPage(<LoginPage />), errorElement: <RouteError /> },
    { path: '/register', element: lazyPage(<RegisterPage />), errorElement: <RouteError /> },
    { path: '/forgot-password', element: lazyPage(<ForgotPasswordPage />), errorElement: <RouteError /> },
    { path: '/reset-password', element: lazyPage(<ResetPasswordPage />), errorElement: <RouteError /> },
    { path: '/verify-email', element: lazyPage(<VerifyEmailPage />), errorElement: <RouteError /> },
    { path: '/invite/:token', element: lazyPage(<AcceptInvitePage />), errorElement: <RouteError /> },
    {
      path: '/',
      element: (
        <RequireAuth>
          <AppShell />
        </RequireAuth>
      ),
      errorElement: <RouteError />,
      children: [
        { index: true, element: lazyPage(<DashboardPage />) },
        { path: 'dashboard', element: <Navigate to="/" replace /> },
        { path: 'pipeline', element: lazyPage(<PipelinePage />) },
        { path: 'pipeline/:pipelineId', element: lazyPage(<PipelinePage />) },
        { path: 'leads', element: lazyPage(<LeadsPage />) },
        { path: 'leads/:leadId', element: lazyPage(<LeadPage />) },
        { path: 'contacts', element: lazyPage(<ContactsPage />) },
        { path: 'contacts/:contactId', element: lazyPage(<ContactPage />) },
        { path: 'companies', element: lazyPage(<CompaniesPage />) },
        { path: 'companies/:companyId', element: lazyPage(<CompanyPage />) },
        { path: 'projects', element: lazyPage(<ProjectsPage />) },
        { path: 'projects/:projectId', element: lazyPage(<ProjectPage />) },
        { path: 'tasks', element: lazyPage(<TasksPage />) },
        { path: 'calendar', element: lazyPage(<CalendarPage />) },
        { path: 'settings', element: <Navigate to="/settings/profile" replace /> },
        { path: 'settings/workspace', element: lazyPage(<WorkspacePage />) },
        { path: 'settings/feedback', element: lazyPage(<FeedbackAdminPage />) },
        { path: 'settings/profile', element: lazyPage(<ProfilePage />) },
        { path: 'settings/preferences', element: lazyPage(<PreferencesPage />) },
        { path: 'settings/custom-fields', element: lazyPage(<CustomFieldsPage />) },
        { path: 'settings/security', element: lazyPage(<SecurityPage />) },
        { path: 'settings/api-keys', element: lazyPage(<ApiKeysPage />) },
        { path: 'settings/team', element: lazyPage(<TeamPage />) },
        { path: 'settings/pipelines', element: lazyPage(<PipelinesPage />) },
        { path: 'settings/pipelines/:pipelineId', element: lazyPage(<PipelinesPage />) },
        { path: '*', element: lazyPage(<NotFoundPage />) },
      ],
    },
  ],
  { basename: routerBase || '/' },
)

export function App() {
  useTheme()
  return (
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
      <Toaster position="bottom-right" richColors closeButton />
    </QueryClientProvider>
  )
}

export { queryClient }
