import { useState } from 'react';
import { Button, Form, Input, Typography } from 'antd';
import { LockOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useLocation, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { useSession } from '../../session/session';
import { AuthCard } from './AuthCard';

const SignInMutation = graphql(`
  mutation SignIn($input: SignInInput!) {
    signIn(input: $input) {
      token
      user {
        id
        memberships {
          isPrimary
          tenant {
            slug
          }
        }
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
  identifier: string;
  password: string;
}

export default function SignInPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [{ fetching }, signIn] = useMutation(SignInMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [signingIn, setSigningIn] = useState(false);

  async function submit(values: Values) {
    setProblems([]);
    const result = await signIn({ input: { identifier: values.identifier.trim(), password: values.password } });
    if (result.error) {
      setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
      return;
    }
    const payload = result.data?.signIn;
    if (!payload) return;
    if (payload.errors.length || !payload.token) {
      setProblems(applyFieldErrors(form, payload.errors));
      return;
    }
    const memberships = payload.user?.memberships ?? [];
    const home = memberships.find((m) => m.isPrimary) ?? memberships[0];
    setSigningIn(true);
    session.signIn(payload.token, home?.tenant.slug ?? null);
    const from = (location.state as { from?: string } | null)?.from;
    navigate(from && from !== '/login' ? from : '/', { replace: true });
  }

  const notActivated = problems.some((p) => p.code === 'ACCOUNT_NOT_ACTIVATED');
  // Only for someone who opens /login already signed in: after signing in here, `navigate` above
  // has already left this page (rendering nothing meanwhile would show a blank frame).
  if (session.token && !fetching && !signingIn) return <Navigate to="/" replace />;
  return (
    <AuthCard title={t('app.name')}>
      <Typography.Paragraph type="secondary">{t('signIn.subtitle')}</Typography.Paragraph>
      <FormErrors errors={problems} />
      {notActivated && (
        <Typography.Paragraph>
          <Link to="/activate">{t('signIn.goActivate')}</Link>
        </Typography.Paragraph>
      )}
      <Form form={form} layout="vertical" onFinish={submit} requiredMark={false} size="large">
        <Form.Item name="identifier" label={t('signIn.identifier')} rules={[{ required: true, message: t('signIn.identifierRequired') }]}>
          <Input prefix={<UserOutlined />} autoComplete="username" placeholder={t('signIn.identifierPlaceholder')} />
        </Form.Item>
        <Form.Item name="password" label={t('signIn.password')} rules={[{ required: true, message: t('signIn.passwordRequired') }]}>
          <Input.Password prefix={<LockOutlined />} autoComplete="current-password" />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={fetching}>
          {t('signIn.submit')}
        </Button>
      </Form>
      <Typography.Paragraph style={{ marginTop: 16, marginBottom: 0, textAlign: 'center' }}>
        {t('signIn.firstTime')} <Link to="/activate">{t('signIn.activate')}</Link>
      </Typography.Paragraph>
    </AuthCard>
  );
}
