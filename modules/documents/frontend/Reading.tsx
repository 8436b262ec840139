// The document as a reader sees it: its text on the page, and the PDF with the reader's own
// name as a watermark (and, for the drafters, the Word file) through a signed link.
import { Button, Divider, Flex, Typography } from 'antd';
import { DownloadOutlined, FilePdfOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useSignedLink } from '@workbench/api/signedLinks';

interface Props {
  issuer: string;
  title: string;
  number: string;
  mainTo: string;
  copyTo: string;
  body: string;
  pdfPath: string;
  docxPath?: string | null;
}

export function Reading({ issuer, title, number, mainTo, copyTo, body, pdfPath, docxPath }: Props) {
  const { t } = useTranslation();
  const open = useSignedLink();
  return (
    <div data-testid="document-reading">
      <Typography.Title level={3} style={{ color: '#c00000', textAlign: 'center', margin: 0, wordBreak: 'break-word' }}>
        {issuer}
      </Typography.Title>
      {number && <div style={{ textAlign: 'center' }} data-testid="document-number">{number}</div>}
      <Divider style={{ borderColor: '#c00000', borderWidth: 2, margin: '8px 0 12px' }} />
      <Typography.Title level={4} style={{ textAlign: 'center', wordBreak: 'break-word' }} data-testid="document-title">
        {title}
      </Typography.Title>
      {mainTo && <Typography.Paragraph>{mainTo}：</Typography.Paragraph>}
      {body.split('\n').filter((p) => p.trim()).map((p, i) => (
        <Typography.Paragraph key={i} style={{ textIndent: '2em', overflowWrap: 'anywhere' }}>{p}</Typography.Paragraph>
      ))}
      {copyTo && <Typography.Paragraph type="secondary">{t('documents.copyToLine', { names: copyTo })}</Typography.Paragraph>}
      <Flex gap={8} wrap>
        <Button icon={<FilePdfOutlined />} onClick={() => void open(pdfPath, 'tab')} data-testid="document-pdf">
          {t('documents.pdf')}
        </Button>
        {docxPath && (
          <Button icon={<DownloadOutlined />} onClick={() => void open(docxPath, 'download')} data-testid="document-docx">
            {t('documents.docx')}
          </Button>
        )}
      </Flex>
    </div>
  );
}
