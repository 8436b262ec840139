// Import courses or questions from their Excel template, as on the staff import page: download
// the template, choose the filled-in file, preview (nothing written; every bad cell listed by row
// and column) or import all-or-nothing / only the valid rows.
import { DownloadOutlined, UploadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Flex, Form, Modal, Radio, Table, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useClient, useMutation } from 'urql';
import { errorText, type FieldError } from '@workbench/api/errors';
import { FormErrors } from '@workbench/components/QueryState';
import { readBase64 } from '@workbench/features/org/ImportModal';
import type { ImportMode, LearningImportReportFieldsFragment } from '@workbench/gql/graphql';
import { saveXlsx } from './AdminExtras';
import { CourseTemplateQuery, ImportCoursesMutation, ImportQuestionsMutation, QuestionTemplateQuery } from './adminOperations';

type Report = LearningImportReportFieldsFragment;

export default function LearningImport({ what, onClose, onImported }: { what: 'courses' | 'questions'; onClose: () => void; onImported: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const [file, setFile] = useState<{ name: string; data: string } | null>(null);
  const [mode, setMode] = useState<ImportMode>('ALL_OR_NOTHING');
  const [report, setReport] = useState<Report | null>(null);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [templateLoading, setTemplateLoading] = useState(false);
  const [coursesState, importCourses] = useMutation(ImportCoursesMutation);
  const [questionsState, importQuestions] = useMutation(ImportQuestionsMutation);
  const fetching = coursesState.fetching || questionsState.fetching;

  async function template() {
    setTemplateLoading(true);
    const r = what === 'courses'
      ? await client.query(CourseTemplateQuery, {}, { requestPolicy: 'network-only' }).toPromise()
      : await client.query(QuestionTemplateQuery, {}, { requestPolicy: 'network-only' }).toPromise();
    setTemplateLoading(false);
    if (r.error) return void message.error(errorText(r.error));
    const data = r.data && ('learningCourseTemplate' in r.data ? r.data.learningCourseTemplate : r.data.learningQuestionTemplate);
    if (data) saveXlsx(data, t(`learning.importer.${what}File`));
  }

  async function run(dryRun: boolean) {
    if (!file) return;
    setProblems([]);
    const input = { file: file.data, mode, dryRun };
    const r = what === 'courses' ? await importCourses({ input }) : await importQuestions({ input });
    if (r.error) return setProblems([{ code: 'REQUEST', message: errorText(r.error) }]);
    const payload = r.data && ('importLearningCourses' in r.data ? r.data.importLearningCourses : r.data.importLearningQuestions);
    setReport(payload?.report ?? null);
    setProblems(payload?.errors?.filter((e) => e.code !== 'IMPORT_HAS_ERRORS') ?? []);
    if (payload?.report?.applied) {
      void message.success(t('learning.importer.done'));
      onImported();
    }
  }

  return (
    <Modal open title={t(`learning.importer.${what}Title`)} onCancel={onClose} footer={null} width={760} destroyOnHidden>
      <FormErrors errors={problems} />
      <Form layout="vertical">
        <Form.Item label={t('learning.importer.step1')}>
          <Button icon={<DownloadOutlined />} onClick={template} loading={templateLoading} data-testid="learning-import-template">
            {t('learning.importer.template')}
          </Button>
        </Form.Item>
        <Form.Item label={t('learning.importer.step2')}>
          <Upload accept=".xlsx" maxCount={1} showUploadList={false} beforeUpload={async (f) => {
            setFile({ name: f.name, data: await readBase64(f) });
            setReport(null);
            setProblems([]);
            return false;
          }}>
            <Button icon={<UploadOutlined />} data-testid="learning-import-choose">{t('learning.importer.choose')}</Button>
          </Upload>
          {file && <Typography.Text style={{ marginLeft: 8 }} data-testid="learning-import-file">{file.name}</Typography.Text>}
        </Form.Item>
        <Form.Item label={t('learning.importer.mode')}>
          <Radio.Group value={mode} onChange={(e) => setMode(e.target.value as ImportMode)}>
            <Radio value="ALL_OR_NOTHING">{t('learning.importer.modeAll')}</Radio>
            <Radio value="VALID_ONLY">{t('learning.importer.modeValid')}</Radio>
          </Radio.Group>
        </Form.Item>
        <Flex gap={8} wrap>
          <Button onClick={() => run(true)} loading={fetching} disabled={!file} data-testid="learning-import-preview">{t('learning.importer.preview')}</Button>
          <Button type="primary" onClick={() => run(false)} loading={fetching} disabled={!file} data-testid="learning-import-run">
            {t('learning.importer.run')}
          </Button>
        </Flex>
      </Form>
      {report && <ReportView report={report} what={what} />}
    </Modal>
  );
}

function ReportView({ report, what }: { report: Report; what: 'courses' | 'questions' }) {
  const { t } = useTranslation();
  const skipped = new Set(report.rowErrors.map((e) => `${e.sheet}:${e.row}`)).size;
  const n = { rows: report.rows, skipped, created: report.created, what: t(`learning.importer.${what}Noun`) };
  const title = report.dryRun ? t('learning.importer.previewResult', n) : report.applied ? t('learning.importer.appliedResult', n) : t('learning.importer.refused', n);
  return (
    <div style={{ marginTop: 16 }} data-testid="learning-import-report">
      <Alert type={report.rowErrors.length ? 'warning' : 'success'} showIcon title={title} style={{ marginBottom: 12 }} />
      {report.rowErrors.length > 0 && (
        <Table size="small" pagination={false} scroll={{ x: 480, y: 240 }} data-testid="learning-import-errors"
          rowKey={(e) => `${e.sheet}-${e.row}-${e.column}-${e.code}`} dataSource={report.rowErrors}
          columns={[
            { title: t('learning.importer.row'), dataIndex: 'row', width: 60 },
            { title: t('learning.importer.column'), key: 'column', width: 120, render: (_v, e) => `${e.columnLetter} ${e.column}` },
            { title: t('learning.importer.problem'), dataIndex: 'message' },
          ]} />
      )}
    </div>
  );
}
