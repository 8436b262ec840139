// Activation for people their unit has pre-registered: ID number + mobile, an SMS code, a password.
import { useEffect, useState } from 'react';
import { Button, Form, Input, Result, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { AuthCard } from './AuthCard';

const RequestCodeMutation = graphql(`
  mutation RequestActivationCode($input: RequestActivationCodeInput!) {
    requestActivationCode(input: $input) {
      ok
      errors {
        field
        code
        message
      }
    }
  }
`);

const ActivateMutation = graphql(`
  mutation ActivateAccount($input: ActivateAccountInput!) {
    activateAccount(input: $input) {
      user {
        id
        realName
        username
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Values {
  idNumber: string;
  mobile: string;
  code: string;
  password: string;
  confirm: string;
}

const RESEND_SECONDS = 60;

export default function ActivatePage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [requestState, requestCode] = useMutation(RequestCodeMutation);
  const [activateState, activate] = useMutation(ActivateMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [codeSent, setCodeSent] = useState(false);
  const [wait, setWait] = useState(0);
  const [done, setDone] = useState<string | null>(null);

  useEffect(() => {
    if (wait <= 0) return;
    const timer = setTimeout(() => setWait((w) => w - 1), 1000);
    return () => clearTimeout(timer);
  }, [wait]);

  async function sendCode() {
    setProblems([]);
    const values = await form.validateFields(['idNumber', 'mobile']);
    const result = await requestCode({ input: { idNumber: values.idNumber.trim(), mobile: values.mobile.trim() } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.requestActivationCode;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    setCodeSent(true);
    setWait(RESEND_SECONDS);
  }

  async function submit(values: Values) {
    setProblems([]);
    const result = await activate({
      input: { idNumber: values.idNumber.trim(), mobile: values.mobile.trim(), code: values.code.trim(), password: values.password },
    });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.activateAccount;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    setDone(payload?.user?.username ?? '');
  }

  if (done !== null) {
    return (
      <AuthCard title={t('activate.title')}>
        <Result
          status="success"
          title={t('activate.done')}
          subTitle={t('activate.doneHint', { username: done })}
          extra={<Link to="/login"><Button type="primary">{t('activate.goSignIn')}</Button></Link>}
        />
      </AuthCard>
    );
  }

  return (
    <AuthCard title={t('activate.title')}>
      <Typography.Paragraph type="secondary">{t('activate.subtitle')}</Typography.Paragraph>
      <FormErrors errors={problems} />
      <Form form={form} layout="vertical" onFinish={submit}>
        <Form.Item name="idNumber" label={t('activate.idNumber')} rules={[{ required: true, message: t('activate.idNumberRequired') }, { len: 18, message: t('activate.idNumberLength') }]}>
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item name="mobile" label={t('activate.mobile')} rules={[{ required: true, message: t('activate.mobileRequired') }, { pattern: /^1\d{10}$/, message: t('activate.mobileFormat') }]}>
          <Input maxLength={11} inputMode="numeric" autoComplete="tel" />
        </Form.Item>
        <Form.Item label={t('activate.code')} required>
          <Space.Compact style={{ width: '100%' }}>
            <Form.Item name="code" noStyle rules={[{ required: codeSent, message: t('activate.codeRequired') }]}>
              <Input maxLength={8} inputMode="numeric" autoComplete="one-time-code" disabled={!codeSent} />
            </Form.Item>
            <Button onClick={sendCode} loading={requestState.fetching} disabled={wait > 0}>
              {wait > 0 ? t('activate.resendIn', { seconds: wait }) : codeSent ? t('activate.resend') : t('activate.sendCode')}
            </Button>
          </Space.Compact>
        </Form.Item>
        <Form.Item name="password" label={t('activate.password')} extra={t('activate.passwordRules')} rules={[{ required: true, message: t('activate.passwordRequired') }, { min: 8, message: t('activate.passwordRules') }]}>
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Form.Item
          name="confirm"
          label={t('activate.confirm')}
          dependencies={['password']}
          rules={[
            { required: true, message: t('activate.confirmRequired') },
            ({ getFieldValue }) => ({
              validator: (_rule, value) => (!value || getFieldValue('password') === value ? Promise.resolve() : Promise.reject(new Error(t('activate.confirmMismatch')))),
            }),
          ]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block disabled={!codeSent} loading={activateState.fetching}>
          {t('activate.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}>
        <Link to="/login">{t('activate.backToSignIn')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}
