// Simplified Chinese first, English second. The choice is remembered in this browser.
// The platform's texts are in ./locales; each feature folder and module brings its own in its
// locales/<language>.json, merged in here (app/modules.ts collects them).
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhCN from './locales/zh-CN.json';
import en from './locales/en.json';
import { withModuleTranslations } from '../app/modules';

export const LANGUAGES = [
  { code: 'zh-CN', label: '简体中文', server: 'zh-Hans' },
  { code: 'en', label: 'English', server: 'en' },
] as const;
export type LanguageCode = (typeof LANGUAGES)[number]['code'];

const STORAGE_KEY = 'jianlian.language';
const stored = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;

void i18n.use(initReactI18next).init({
  resources: {
    'zh-CN': { translation: withModuleTranslations('zh-CN', zhCN) },
    en: { translation: withModuleTranslations('en', en) },
  },
  lng: stored === 'en' ? 'en' : 'zh-CN',
  fallbackLng: 'zh-CN',
  interpolation: { escapeValue: false },
  returnNull: false,
});

export function setLanguage(code: LanguageCode): void {
  localStorage.setItem(STORAGE_KEY, code);
  void i18n.changeLanguage(code);
  document.documentElement.lang = code;
}

/** The Accept-Language the server localises its messages by. */
export function serverLanguage(code: string): string {
  return LANGUAGES.find((l) => l.code === code)?.server ?? 'zh-Hans';
}

export default i18n;
