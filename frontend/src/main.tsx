import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App as AntApp, ConfigProvider } from 'antd';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { useTranslation } from 'react-i18next';
import './i18n';
import { SessionProvider } from './session/session';
import { ApiProvider } from './api/ApiProvider';
import { App } from './app/App';
import { preloadPage } from './app/modules';
import { usePrefersReducedMotion } from './app/reducedMotion';
import './index.css';

// Someone signed in opens a page of the shell: fetch its code now, while React starts.
if (localStorage.getItem('jianlian.token')) preloadPage(window.location.pathname);

// A popup opened in a modal (a select's list, a date picker …) lives in the modal's own fixed layer.
// Placed on the page, it drifted from its field when the page scrolled under the modal (scrolling an
// option into view does that although the modal locks the wheel), and pressing an option snapped
// the list back under the pointer: the click was lost.
const popupContainer = (node?: HTMLElement) => node?.closest<HTMLElement>('.ant-modal-wrap') ?? document.body;

function Root() {
  const { i18n } = useTranslation();
  const reducedMotion = usePrefersReducedMotion();
  return (
    <ConfigProvider locale={i18n.language === 'en' ? enUS : zhCN} getPopupContainer={popupContainer} button={{ autoInsertSpace: false }} theme={{ token: { colorPrimary: '#1677ff', borderRadius: 6, motion: !reducedMotion } }}>
      <AntApp>
        <SessionProvider>
          <ApiProvider>
            <App />
          </ApiProvider>
        </SessionProvider>
      </AntApp>
    </ConfigProvider>
  );
}

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
