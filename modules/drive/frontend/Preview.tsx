// A file's preview: the server serves images and PDFs inline through a short-lived signed link,
// shown here in an <img> or an <iframe> (the workbench's bearer token cannot ride on either).
import { useEffect, useState } from 'react';
import { Alert, Button, Modal, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient } from 'urql';
import { DriveLinkMutation } from './operations';

interface Props {
  path: string | null;
  name: string;
  isPdf: boolean;
  onClose: () => void;
}

function Body({ path, name, isPdf }: { path: string; name: string; isPdf: boolean }) {
  const { t } = useTranslation();
  const client = useClient();
  const [link, setLink] = useState<{ src?: string; error?: string } | null>(null);
  useEffect(() => {
    let live = true;
    void client.mutation(DriveLinkMutation, { path }).toPromise().then((r) => {
      const url = r.data?.createSignedLink?.url;
      if (live) setLink(url ? { src: url } : { error: r.data?.createSignedLink?.errors[0]?.message ?? t('drive.previewFailed') });
    });
    return () => {
      live = false;
    };
  }, [client, path, t]);

  if (!link) return <Spin />;
  if (link.error) return <Alert type="error" showIcon title={link.error} />;
  return (
    <>
      {isPdf ? (
        <iframe src={link.src} title={name} style={{ width: '100%', height: '70vh', border: 0 }} data-testid="drive-preview-frame" />
      ) : (
        <img src={link.src} alt={name} style={{ maxWidth: '100%' }} data-testid="drive-preview-image" />
      )}
      <Button href={link.src} target="_blank" rel="noopener" style={{ marginTop: 8 }}>{t('drive.openInTab')}</Button>
    </>
  );
}

export function Preview({ path, name, isPdf, onClose }: Props) {
  return (
    <Modal open={!!path} title={name} onCancel={onClose} footer={null} width="min(960px, 96vw)" destroyOnHidden>
      {path && <Body key={path} path={path} name={name} isPdf={isPdf} />}
    </Modal>
  );
}
