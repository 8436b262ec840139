// What the writer does on an answered or open letter: ask a follow-up question, or rate the
// answer 1–5 (which closes it). Anonymous letters are found by claim code, named ones by id.
import { useState } from 'react';
import { App, Button, Flex, Input, Rate, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { MailboxLetterFieldsFragment, WriterInput } from '@workbench/gql/graphql';
import { FollowUpMailboxLetterMutation, RateMailboxLetterMutation } from './operations';
import { problemOf } from './run';

export function WriterActions({ letter, by, onDone }: { letter: MailboxLetterFieldsFragment; by: WriterInput; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [text, setText] = useState('');
  const [stars, setStars] = useState(0);
  const [followed, followUp] = useMutation(FollowUpMailboxLetterMutation);
  const [rated, rate] = useMutation(RateMailboxLetterMutation);
  if (letter.status === 'CLOSED') return null;

  async function send() {
    const r = await followUp({ input: { ...by, body: text } });
    const problem = problemOf(r, r.data?.followUpMailboxLetter);
    if (problem) return void message.error(problem);
    setText('');
    message.success(t('mailbox.sent'));
    onDone();
  }

  async function submitRating() {
    const r = await rate({ input: { ...by, satisfaction: stars } });
    const problem = problemOf(r, r.data?.rateMailboxLetter);
    if (problem) return void message.error(problem);
    message.success(t('mailbox.thanks'));
    onDone();
  }

  return (
    <Flex vertical gap={12} style={{ marginTop: 12 }}>
      {letter.status === 'REPLIED' && (
        <Flex gap={8} align="center" wrap data-testid="mailbox-rate">
          <Typography.Text>{t('mailbox.rateHint')}</Typography.Text>
          <Rate value={stars} onChange={setStars} />
          <Button type="primary" disabled={!stars} loading={rated.fetching} onClick={submitRating} data-testid="mailbox-rate-submit">
            {t('mailbox.rate')}
          </Button>
        </Flex>
      )}
      <Input.TextArea rows={2} value={text} onChange={(e) => setText(e.target.value)} placeholder={t('mailbox.followUpHint')} data-testid="mailbox-follow-up-text" />
      <Button disabled={!text.trim()} loading={followed.fetching} onClick={send} style={{ alignSelf: 'flex-start' }} data-testid="mailbox-follow-up-send">
        {t('mailbox.followUp')}
      </Button>
    </Flex>
  );
}
