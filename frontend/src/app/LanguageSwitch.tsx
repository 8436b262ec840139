import { Button } from 'antd';
import { TranslationOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { setLanguage } from '../i18n';

/** 中 ⇄ EN: switches the interface and the language the server answers in. */
export function LanguageSwitch() {
  const { i18n, t } = useTranslation();
  const next = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <Button type="text" icon={<TranslationOutlined />} onClick={() => setLanguage(next)} aria-label={t('app.switchLanguage')} data-testid="language-switch">
      {next === 'en' ? 'EN' : '中'}
    </Button>
  );
}
