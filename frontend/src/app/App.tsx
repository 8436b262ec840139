import { Suspense, type ReactNode } from 'react';
import { Flex, Spin } from 'antd';
import { BrowserRouter, Navigate, Route, Routes, useLocation } from 'react-router';
import { useSession } from '../session/session';
import { AppLayout } from './AppLayout';
import { ROUTES, visibleIn } from './modules';
import { RouteGuard } from './RouteGuard';
import SignInPage from '../features/auth/SignInPage';
import ActivatePage from '../features/auth/ActivatePage';
import { NotFound } from './NotFound';

function RequireSignIn({ children }: { children: ReactNode }) {
  const { token } = useSession();
  const location = useLocation();
  if (!token) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return children;
}

export function App() {
  const { tenant } = useSession();
  return (
    // Navigations are not transitions: a transition keeps the old screen until the new page's code
    // has loaded, and after signing in the old screen is already gone (a blank page for as long
    // as the first load takes). The shell draws at once, the page's outline in it (issue 17 item 12).
    <BrowserRouter useTransitions={false}>
      <Suspense fallback={<Flex justify="center" style={{ padding: 48 }}><Spin /></Flex>}>
        <Routes>
          <Route path="/login" element={<SignInPage />} />
          <Route path="/activate" element={<ActivatePage />} />
          <Route element={<RequireSignIn><AppLayout /></RequireSignIn>}>
            {ROUTES.filter((r) => visibleIn(r.workspace, tenant)).map((r) => (
              <Route key={r.path} path={r.path} element={<RouteGuard route={r} />} />
            ))}
            <Route path="*" element={<NotFound />} />
          </Route>
        </Routes>
      </Suspense>
    </BrowserRouter>
  );
}
