// Change one's own password: the current one, the new one twice. The server's reasons (wrong
// current password, a weak new one) show on their fields.
import { useState } from 'react';
import { App, Button, Card, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';

const ChangePasswordMutation = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) {
      ok
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Values {
  oldPassword: string;
  newPassword: string;
  confirm: string;
}

export default function PasswordPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [state, change] = useMutation(ChangePasswordMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);

  async function submit(values: Values) {
    setProblems([]);
    const result = await change({ input: { oldPassword: values.oldPassword, newPassword: values.newPassword } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.changePassword;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    if (payload?.ok) {
      message.success(t('password.changed'));
      form.resetFields();
    }
  }

  return (
    <Card title={t('password.title')} style={{ maxWidth: 480 }}>
      <FormErrors errors={problems} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="oldPassword" label={t('password.old')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="current-password" />
        </Form.Item>
        <Form.Item name="newPassword" label={t('password.new')} extra={t('password.rule')} rules={[{ required: true, message: t('common.required') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('password.confirm')}
          dependencies={['newPassword']}
          rules={[
            { required: true, message: t('common.required') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) => (!value || value === getFieldValue('newPassword') ? Promise.resolve() : Promise.reject(new Error(t('password.mismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={state.fetching} block data-testid="change-password">
          {t('password.submit')}
        </Button>
      </Form>
    </Card>
  );
}
