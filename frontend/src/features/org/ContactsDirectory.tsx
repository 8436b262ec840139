// The contacts directory for everyone who does not manage the organisation: people as cards,
// one server page at a time; a card opens the person's card with click-to-call (tel:) links. The
// server decides which phones a viewer may see (field visibility rules); a hidden one is absent.
import { useState } from 'react';
import { Avatar, Descriptions, List, Modal, Typography } from 'antd';
import { MailOutlined, MobileOutlined, PhoneOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { QueryState } from '../../components/QueryState';
import { useContactsPage, type ContactRow } from './contacts';

function Call({ number, icon, testId }: { number: string; icon: React.ReactNode; testId: string }) {
  return (
    <a href={`tel:${number.replace(/[^\d+]/g, '')}`} style={{ whiteSpace: 'nowrap' }} data-testid={testId}>
      {icon} {number}
    </a>
  );
}

function post(r: ContactRow): string {
  return [r.position, r.title].filter(Boolean).join(' · ') || r.post;
}

export function ContactsDirectory({ search, department }: { search: string; department: string | null }) {
  const { t } = useTranslation();
  const { result, rows, pagination, pageError, retry } = useContactsPage(search, department, 0);
  const [open, setOpen] = useState<ContactRow | null>(null);
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!result.data}
      isEmpty={rows.length === 0}
      emptyText={search ? t('org.noMatch') : t('org.noStaff')}
      onRetry={retry}
    >
      {pageError && <Typography.Text type="danger">{pageError}</Typography.Text>}
      <List
        data-testid="contacts-directory"
        dataSource={rows}
        loading={result.fetching}
        pagination={{ ...pagination, size: 'small', showTotal: (total) => t('org.total', { count: total }), align: 'center' }}
        renderItem={(r) => (
          <List.Item
            key={r.id}
            data-testid="contact-item"
            actions={[
              r.mobile ? <Call key="m" number={r.mobile} icon={<MobileOutlined />} testId="call-mobile" /> : null,
              !r.mobile && r.officePhone ? <Call key="o" number={r.officePhone} icon={<PhoneOutlined />} testId="call-office" /> : null,
            ].filter(Boolean)}
          >
            <List.Item.Meta
              avatar={<Avatar style={{ background: '#1677ff' }}>{r.name.slice(-2)}</Avatar>}
              title={
                <a onClick={() => setOpen(r)} data-testid="contact-name">
                  {r.name}
                </a>
              }
              description={[r.departments[0]?.name, post(r)].filter(Boolean).join(' · ')}
            />
          </List.Item>
        )}
      />
      {open && (
        <Modal open title={open.name} footer={null} onCancel={() => setOpen(null)} data-testid="person-card">
          <Descriptions column={1} size="small">
            <Descriptions.Item label={t('org.unit')}>{open.unit?.name ?? '—'}</Descriptions.Item>
            <Descriptions.Item label={t('org.department')}>{open.departments.map((d) => d.name).join('、') || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('org.post')}>{post(open) || '—'}</Descriptions.Item>
            <Descriptions.Item label={t('org.mobile')}>
              {open.mobile ? <Call number={open.mobile} icon={<MobileOutlined />} testId="card-mobile" /> : <Typography.Text type="secondary">{t('org.hidden')}</Typography.Text>}
            </Descriptions.Item>
            <Descriptions.Item label={t('org.officePhone')}>
              {open.officePhone ? <Call number={open.officePhone} icon={<PhoneOutlined />} testId="card-office" /> : '—'}
            </Descriptions.Item>
            {open.email && (
              <Descriptions.Item label={t('org.email')}>
                <a href={`mailto:${open.email}`}>
                  <MailOutlined /> {open.email}
                </a>
              </Descriptions.Item>
            )}
          </Descriptions>
        </Modal>
      )}
    </QueryState>
  );
}
