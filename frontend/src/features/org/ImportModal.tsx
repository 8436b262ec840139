// Import departments and staff from the Excel template: download the template, pick the filled-in
// file, preview it (nothing is written; every bad cell is listed by sheet, row and column), then
// import all-or-nothing or only the valid rows.
import { useState } from 'react';
import { Alert, App, Button, Descriptions, Flex, Form, Modal, Radio, Table, Typography, Upload } from 'antd';
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation } from 'urql';
import { graphql } from '../../gql';
import type { ImportMode, ImportReportFieldsFragment } from '../../gql/graphql';
import { errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';

graphql(`
  fragment ImportReportFields on ImportReport {
    dryRun
    applied
    rows
    departments {
      created
      updated
      unchanged
    }
    staff {
      created
      updated
      unchanged
    }
    rowErrors {
      sheet
      row
      column
      columnLetter
      code
      message
    }
  }
`);

const TemplateQuery = graphql(`
  query StaffImportTemplate {
    staffImportTemplate
  }
`);

const ImportMutation = graphql(`
  mutation ImportStaff($input: ImportStaffInput!) {
    importStaff(input: $input) {
      report {
        ...ImportReportFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

function download(base64: string, name: string) {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  URL.revokeObjectURL(url);
}

interface Props {
  onClose: () => void;
  onImported: () => void;
}

export function ImportModal({ onClose, onImported }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const [file, setFile] = useState<{ name: string; data: string } | null>(null);
  const [mode, setMode] = useState<ImportMode>('ALL_OR_NOTHING');
  const [report, setReport] = useState<ImportReportFieldsFragment | null>(null);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [state, importStaff] = useMutation(ImportMutation);
  const [templateLoading, setTemplateLoading] = useState(false);

  async function template() {
    setTemplateLoading(true);
    const result = await client.query(TemplateQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    setTemplateLoading(false);
    if (result.error) return message.error(errorText(result.error));
    if (result.data) download(result.data.staffImportTemplate, t('org.templateName'));
  }

  async function run(dryRun: boolean) {
    if (!file) return setProblems([{ field: 'file', code: 'REQUIRED', message: t('org.chooseFile') }]);
    setProblems([]);
    const result = await importStaff({ input: { file: file.data, mode, dryRun } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.importStaff;
    setReport(payload?.report ?? null);
    setProblems(payload?.errors ?? []);
    if (payload?.report?.applied) {
      message.success(t('org.imported'));
      onImported();
    }
  }

  const fileError = problems.find((p) => p.field === 'file');
  return (
    <Modal open title={t('org.importTitle')} onCancel={onClose} footer={null} width={760} destroyOnHidden>
      <FormErrors errors={problems.filter((p) => p !== fileError)} />
      <Form layout="vertical">
        <Form.Item label={t('org.step1')}>
          <Button icon={<DownloadOutlined />} onClick={template} loading={templateLoading} data-testid="download-template">
            {t('org.downloadTemplate')}
          </Button>
        </Form.Item>
        <Form.Item label={t('org.step2')} validateStatus={fileError ? 'error' : undefined} help={fileError?.message} data-testid="file-field">
          <Upload
            accept=".xlsx"
            maxCount={1}
            showUploadList={false}
            beforeUpload={async (f) => {
              setFile({ name: f.name, data: await readBase64(f) });
              setReport(null);
              setProblems([]);
              return false;
            }}
          >
            <Button icon={<UploadOutlined />} data-testid="choose-file">
              {t('org.chooseFile')}
            </Button>
          </Upload>
          {file && <Typography.Text style={{ marginLeft: 8 }} data-testid="file-name">{file.name}</Typography.Text>}
        </Form.Item>
        <Form.Item label={t('org.mode')}>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)} data-testid="import-mode">
            <Radio value="ALL_OR_NOTHING">{t('org.modeAll')}</Radio>
            <Radio value="VALID_ONLY">{t('org.modeValid')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Flex gap={8} wrap>
          <Button onClick={() => run(true)} loading={state.fetching} disabled={!file} data-testid="preview-import">
            {t('org.preview')}
          </Button>
          <Button type="primary" onClick={() => run(false)} loading={state.fetching} disabled={!file} data-testid="run-import">
            {t('org.runImport')}
          </Button>
        </Flex>
      </Form>
      {report && <ReportView report={report} />}
    </Modal>
  );
}

function ReportView({ report }: { report: ImportReportFieldsFragment }) {
  const { t } = useTranslation();
  const counts = (c: { created: number; updated: number; unchanged: number }) => t('org.counts', c);
  // A row with several bad cells is one skipped row.
  const skipped = new Set(report.rowErrors.map((e) => `${e.sheet}:${e.row}`)).size;
  const title = report.dryRun
    ? t(skipped ? 'org.previewSkipped' : 'org.previewResult', { rows: report.rows, skipped })
    : report.applied
      ? t(skipped ? 'org.appliedSkipped' : 'org.appliedResult', { rows: report.rows, skipped })
      : t('org.refusedResult');
  return (
    <div style={{ marginTop: 16 }} data-testid="import-report">
      <Alert
        type={report.rowErrors.length ? 'warning' : 'success'}
        showIcon
        title={<span data-testid="import-summary">{title}</span>}
        style={{ marginBottom: 12 }}
      />
      <Descriptions size="small" column={1} bordered style={{ marginBottom: 12 }}>
        <Descriptions.Item label={t('org.departments')}>{counts(report.departments)}</Descriptions.Item>
        <Descriptions.Item label={t('org.staff')}>{counts(report.staff)}</Descriptions.Item>
      </Descriptions>
      {report.rowErrors.length > 0 && (
        <Table
          data-testid="row-errors"
          size="small"
          pagination={false}
          scroll={{ x: 560, y: 240 }}
          rowKey={(e) => `${e.sheet}-${e.row}-${e.column}-${e.code}`}
          dataSource={report.rowErrors}
          columns={[
            { title: t('org.sheet'), dataIndex: 'sheet', width: 70 },
            { title: t('org.row'), dataIndex: 'row', width: 60 },
            { title: t('org.column'), key: 'column', width: 120, render: (_v, e) => `${e.columnLetter} ${e.column}` },
            { title: t('org.problem'), dataIndex: 'message' },
          ]}
        />
      )}
    </div>
  );
}
