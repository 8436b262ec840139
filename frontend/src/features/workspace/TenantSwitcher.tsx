// Switching between one's tenants (and the province console). The GraphQL client is rebuilt
// for the new workspace, so no data of the previous one stays in its cache.
import { Button, Dropdown, Tag, Typography } from 'antd';
import { BankOutlined, CheckOutlined, DownOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useWorkbench } from '../../app/workbench';
import { useSession } from '../../session/session';

export function TenantSwitcher({ current, compact }: { current: string; compact: boolean }) {
  const { t } = useTranslation();
  const { workspaces } = useWorkbench();
  const session = useSession();
  const navigate = useNavigate();
  // On a 360 px phone the header also holds the menu, bell, language and user buttons: a long
  // hospital name is cut with an ellipsis so the user menu (sign-out) stays on screen.
  const label = (
    <Typography.Text strong ellipsis style={{ maxWidth: compact ? 105 : 320 }} data-testid="current-workspace">
      {current}
    </Typography.Text>
  );
  if (workspaces.length < 2) return label;
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        selectable: true,
        selectedKeys: [session.tenant ?? ''],
        items: workspaces.map((w) => ({
          key: w.slug ?? '',
          icon: w.slug === session.tenant ? <CheckOutlined /> : <BankOutlined />,
          label: (
            <span data-testid={`workspace-${w.slug ?? 'province'}`}>
              {w.name}
              {w.status && w.status !== 'ACTIVE' && <Tag style={{ marginInlineStart: 8 }}>{t(`tenantStatus.${w.status}`)}</Tag>}
            </span>
          ),
        })),
        onClick: ({ key }) => {
          session.switchTenant(key || null);
          navigate('/');
        },
      }}
    >
      <Button type="text" data-testid="workspace-switcher" aria-label={t('workspace.switch')}>
        {label}
        <DownOutlined />
      </Button>
    </Dropdown>
  );
}
