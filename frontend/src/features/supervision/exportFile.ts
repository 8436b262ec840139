// The dashboard's Excel export: a plain HTTP download that needs the bearer token, so it is
// fetched and handed to the browser as a file rather than opened as a link.
import i18n from '../../i18n';

interface ExportRequest {
  token: string | null;
  tenant: string | null;
  unit: string;
  period: string;
  indicator: string;
}

export async function downloadExport({ token, tenant, unit, period, indicator }: ExportRequest): Promise<void> {
  const prefix = tenant ? `/t/${encodeURIComponent(tenant)}` : '';
  const query = new URLSearchParams({ unit, period, indicator });
  const response = await fetch(`${prefix}/apps/supervision/export/?${query}`, {
    headers: { 'Accept-Language': i18n.language, ...(token ? { Authorization: `Bearer ${token}` } : {}) },
  });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    const code: string | undefined = body?.errors?.[0]?.extensions?.code;
    const known = code && i18n.exists(`errors.${code}`) ? i18n.t(`errors.${code}`) : null;
    throw new Error(body?.errors?.[0]?.message || known || i18n.t('errors.INTERNAL_ERROR'));
  }
  const blob = await response.blob();
  const name = /filename\*=UTF-8''([^;]+)/.exec(response.headers.get('Content-Disposition') ?? '')?.[1];
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name ? decodeURIComponent(name) : `supervision-${period}.xlsx`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
}
