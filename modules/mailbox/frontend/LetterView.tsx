// One letter as its writer or handler sees it: subject, kind, status, the writer (匿名 when
// anonymous — nothing else is known), the body and the conversation; actions go below.
import type { ReactNode } from 'react';
import { Card, Flex, Rate, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatTime } from '@workbench/components/time';
import type { MailboxLetterFieldsFragment } from '@workbench/gql/graphql';

export function LetterView({ letter, children }: { letter: MailboxLetterFieldsFragment; children?: ReactNode }) {
  const { t } = useTranslation();
  return (
    <Card size="small" data-testid="mailbox-letter" data-status={letter.status}>
      <Flex gap={4} wrap style={{ marginBottom: 8 }}>
        <Tag>{t(`mailbox.kind.${letter.kind}`)}</Tag>
        <Tag color={letter.status === 'CLOSED' ? 'default' : 'blue'} data-testid="mailbox-status">
          {t(`mailbox.status.${letter.status}`)}
        </Tag>
        {letter.anonymous && <Tag color="purple">{t('mailbox.anonymous')}</Tag>}
      </Flex>
      <Typography.Title level={5} style={{ wordBreak: 'break-word', marginTop: 0 }}>
        {letter.subject}
      </Typography.Title>
      <Typography.Text type="secondary" data-testid="mailbox-sender">
        {letter.senderName ?? t('mailbox.anonymousSender')} · {formatTime(letter.createdAt)}
      </Typography.Text>
      <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginTop: 8 }}>{letter.body}</Typography.Paragraph>
      {letter.messages.length > 0 && (
        <Timeline
          data-testid="mailbox-messages"
          items={letter.messages.map((m, i) => ({
            key: i,
            color: m.fromHandler ? 'green' : 'blue',
            content: (
              <div data-testid={m.fromHandler ? 'mailbox-reply' : 'mailbox-follow-up'}>
                <Typography.Text strong>{m.authorName}</Typography.Text>{' '}
                <Typography.Text type="secondary">{formatTime(m.at)}</Typography.Text>
                <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word', marginBottom: 0 }}>{m.body}</Typography.Paragraph>
              </div>
            ),
          }))}
        />
      )}
      {letter.satisfaction != null && (
        <Flex gap={8} align="center" data-testid="mailbox-satisfaction">
          <Typography.Text>{t('mailbox.satisfaction')}</Typography.Text>
          <Rate disabled value={letter.satisfaction} />
        </Flex>
      )}
      {children}
    </Card>
  );
}
