// Start an approval: the template's current form rendered by rjsf, submitted with startApproval;
// the server's per-field errors (`data.range.end`) show under their fields.
import { useState } from 'react';
import { App, Button, Card, Checkbox, Form, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { errorText, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';
import { ContactPicker } from '../org/ContactPicker';
import { ApprovalForm, parseJson, type FormData } from './ApprovalForm';
import { ApprovalTemplateQuery, globalId, StartApprovalMutation } from './operations';

export default function StartPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const params = useParams();
  const id = globalId('ApprovalTemplate', params.id);
  const [result, reexecute] = useQuery({ query: ApprovalTemplateQuery, variables: { id } });
  const [state, start] = useMutation(StartApprovalMutation);
  const [data, setData] = useState<FormData>({});
  const [chosen, setChosen] = useState<Record<string, string[]>>({});
  const [urgent, setUrgent] = useState(false);
  const [errors, setErrors] = useState<FieldError[]>([]);
  const template = result.data?.approvalTemplate;
  const version = template?.currentVersion;

  // A field the person changes loses the server's complaint about it; the others keep theirs.
  function edit(next: FormData) {
    const changed = (e: FieldError) => {
      const key = e.field?.startsWith('data.') ? e.field.split('.')[1] : null;
      return key !== null && JSON.stringify(next[key]) !== JSON.stringify(data[key]);
    };
    setData(next);
    if (errors.some(changed)) setErrors(errors.filter((e) => !changed(e)));
  }

  async function submit() {
    setErrors([]);
    const r = await start({ input: { template: id, data: JSON.stringify(data), chosen: JSON.stringify(chosen), urgent } });
    if (r.error) return setErrors([{ code: 'REQUEST', message: errorText(r.error) }]);
    const payload = r.data?.startApproval;
    if (payload?.errors.length) return setErrors(payload.errors);
    message.success(t('approvals.submitted'));
    if (payload?.instance) navigate(`/approvals/instances/${encodeURIComponent(payload.instance.id)}`);
  }

  const general = errors.filter((e) => !e.field?.startsWith('data.') && !e.field?.startsWith('chosen.'));
  return (
    <Card title={template?.name ?? t('approvals.startTitle')} style={{ maxWidth: 760 }} data-testid="start-approval">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!template} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {template?.description && <Typography.Paragraph type="secondary">{template.description}</Typography.Paragraph>}
        <FormErrors errors={general} />
        {version && (
          <>
            <ApprovalForm schema={parseJson(version.formSchema)} uiSchema={parseJson(version.uiSchema)} formData={data} onChange={edit} errors={errors} />
            {version.chosenNodes.map((n) => {
              const problem = errors.find((e) => e.field === `chosen.${n.nodeId}`);
              return (
                <Form.Item key={n.nodeId} label={t('approvals.chooseApprover', { node: n.name })} layout="vertical" required validateStatus={problem ? 'error' : undefined} help={problem?.message}>
                  <ContactPicker multiple value={chosen[n.nodeId] ?? []} onChange={(v) => setChosen({ ...chosen, [n.nodeId]: (Array.isArray(v) ? v : v ? [v] : []) })} />
                </Form.Item>
              );
            })}
            <Checkbox checked={urgent} onChange={(e) => setUrgent(e.target.checked)} style={{ marginBottom: 16 }}>
              {t('approvals.urgent')}
            </Checkbox>
            <div>
              <Button type="primary" block onClick={() => void submit()} loading={state.fetching} data-testid="submit-approval">
                {t('approvals.submit')}
              </Button>
            </div>
          </>
        )}
      </QueryState>
    </Card>
  );
}
