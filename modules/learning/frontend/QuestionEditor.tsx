// One question of the bank by hand, of any type: the stem, options for choice questions (the key
// ticked among them), true/false, accepted answers per blank for a fill-in, a reference answer for
// a short answer; topic, difficulty, explanation, and (editing) whether it is still drawn.
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Checkbox, Flex, Form, Input, Modal, Radio, Select, Switch } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { FormErrors } from '@workbench/components/QueryState';
import type { LearningDifficulty, LearningQuestionKind, LearningQuestionsQuery } from '@workbench/gql/graphql';
import { CreateQuestionMutation, UpdateQuestionMutation } from './adminOperations';

export type Question = NonNullable<NonNullable<LearningQuestionsQuery['learningQuestions']['edges'][number]>['node']>;
type Answer = number | number[] | boolean | string[][] | string | undefined;

interface QuestionForm {
  kind: LearningQuestionKind;
  stem: string;
  options: string[];
  answer: Answer;
  topic: string;
  difficulty: LearningDifficulty;
  explanation?: string;
  active: boolean;
}

const KINDS: LearningQuestionKind[] = ['SINGLE', 'MULTIPLE', 'TRUE_FALSE', 'FILL', 'SHORT'];
const CHOICE: LearningQuestionKind[] = ['SINGLE', 'MULTIPLE'];

function blankAnswer(kind: LearningQuestionKind): Answer {
  return { SINGLE: undefined, MULTIPLE: [], TRUE_FALSE: true, FILL: [[]], SHORT: '' }[kind];
}

export default function QuestionEditor({ question, topics, onClose, onSaved }: {
  question: Question | null; topics: string[]; onClose: () => void; onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<QuestionForm>();
  const kind = Form.useWatch('kind', form) ?? question?.kind ?? 'SINGLE';
  const options = (Form.useWatch('options', form) ?? []) as (string | undefined)[];
  const [general, setGeneral] = useState<FieldError[]>([]);
  const [creating, create] = useMutation(CreateQuestionMutation);
  const [updating, update] = useMutation(UpdateQuestionMutation);

  const initial: Partial<QuestionForm> = question
    ? { kind: question.kind, stem: question.stem, options: question.options, answer: JSON.parse(question.answer) as Answer, topic: question.topic,
        difficulty: question.difficulty, explanation: question.explanation, active: question.isActive }
    : { kind: 'SINGLE', options: ['', '', '', ''], answer: undefined, difficulty: 'MEDIUM', active: true };

  const onFinish = async (v: QuestionForm) => {
    setGeneral([]);
    const fields = { kind: v.kind, stem: v.stem, options: CHOICE.includes(v.kind) ? v.options : [], answer: JSON.stringify(v.answer ?? null),
      topic: v.topic, difficulty: v.difficulty, explanation: v.explanation ?? '' };
    const r = question ? await update({ input: { id: question.id, active: v.active, ...fields } }) : await create({ input: fields });
    if (r.error) return setGeneral([{ code: 'REQUEST', message: errorText(r.error) }]);
    const payload = r.data && ('updateLearningQuestion' in r.data ? r.data.updateLearningQuestion : r.data.createLearningQuestion);
    if (payload?.errors.length) return setGeneral(applyFieldErrors(form, payload.errors));
    onSaved();
  };

  return (
    <Modal open width={640} title={question ? t('learning.qa.edit') : t('learning.qa.new')} onCancel={onClose} onOk={() => form.submit()}
      okText={t('learning.qa.save')} confirmLoading={creating.fetching || updating.fetching} destroyOnHidden
      okButtonProps={{ ...{ 'data-testid': 'learning-question-save' } }}>
      <FormErrors errors={general} />
      <Form form={form} layout="vertical" initialValues={initial} onFinish={onFinish} data-testid="learning-question-form"
        onValuesChange={(changed: Partial<QuestionForm>) => {
          if (!changed.kind) return;
          form.setFieldsValue({ answer: blankAnswer(changed.kind) });
          const opts = (form.getFieldValue('options') ?? []) as string[];
          if (CHOICE.includes(changed.kind) && opts.length < 2) form.setFieldsValue({ options: [...opts, '', ''].slice(0, Math.max(2, opts.length)) });
        }}>
        <Form.Item name="kind" label={t('learning.qa.kind')}>
          <Select options={KINDS.map((k) => ({ value: k, label: t(`learning.kind.${k}`) }))} data-testid="learning-question-kind" />
        </Form.Item>
        <Form.Item name="stem" label={t('learning.stem')} rules={[{ required: true, message: t('learning.required') }]}>
          <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} maxLength={2000} data-testid="learning-question-stem" />
        </Form.Item>
        {CHOICE.includes(kind) && (
          <Form.List name="options">
            {(fields, { add, remove }) => (
              <Form.Item label={t('learning.qa.options')} required>
                {fields.map((f, i) => (
                  <Flex key={f.key} gap={4} style={{ marginBottom: 8 }}>
                    <Form.Item name={f.name} noStyle rules={[{ required: true, whitespace: true, message: t('learning.required') }]}>
                      <Input prefix={String.fromCharCode(65 + i)} maxLength={200} data-testid="learning-question-option" />
                    </Form.Item>
                    <Button type="text" danger icon={<DeleteOutlined />} disabled={fields.length <= 2} onClick={() => {
                      remove(f.name);
                      form.setFieldsValue({ answer: blankAnswer(kind) });
                    }} aria-label={t('learning.remove')} />
                  </Flex>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} disabled={fields.length >= 8} onClick={() => add('')}>{t('learning.qa.addOption')}</Button>
              </Form.Item>
            )}
          </Form.List>
        )}
        <AnswerField kind={kind} options={options} />
        <Flex gap={12} wrap>
          <Form.Item name="topic" label={t('learning.topic')} rules={[{ required: true, message: t('learning.required') }]} style={{ flex: '1 1 160px' }}>
            <AutoComplete options={topics.map((x) => ({ value: x }))} maxLength={40} data-testid="learning-question-topic"
              filterOption={(input, o) => String(o?.value ?? '').includes(input)} />
          </Form.Item>
          <Form.Item name="difficulty" label={t('learning.difficultyLabel')}>
            <Radio.Group optionType="button" options={(['EASY', 'MEDIUM', 'HARD'] as const).map((d) => ({ value: d, label: t(`learning.difficulty.${d}`) }))} />
          </Form.Item>
        </Flex>
        <Form.Item name="explanation" label={t('learning.qa.explanation')}><Input.TextArea autoSize={{ minRows: 1, maxRows: 4 }} maxLength={2000} /></Form.Item>
        {question && <Form.Item name="active" label={t('learning.qa.active')} valuePropName="checked"><Switch /></Form.Item>}
      </Form>
    </Modal>
  );
}

function AnswerField({ kind, options }: { kind: LearningQuestionKind; options: (string | undefined)[] }) {
  const { t } = useTranslation();
  const required = [{ required: true, message: t('learning.qa.answerRequired') }];
  const choices = options.map((o, i) => ({ value: i, label: `${String.fromCharCode(65 + i)} ${o ?? ''}` }));
  if (kind === 'SINGLE') {
    return (
      <Form.Item name="answer" label={t('learning.qa.key')} rules={required}>
        <Radio.Group options={choices} data-testid="learning-question-key" />
      </Form.Item>
    );
  }
  if (kind === 'MULTIPLE') {
    return (
      <Form.Item name="answer" label={t('learning.qa.key')} rules={[{ type: 'array', min: 2, message: t('learning.qa.twoKeys') }]}>
        <Checkbox.Group options={choices} data-testid="learning-question-key" />
      </Form.Item>
    );
  }
  if (kind === 'TRUE_FALSE') {
    return (
      <Form.Item name="answer" label={t('learning.qa.key')}>
        <Radio.Group optionType="button" options={[{ value: true, label: t('learning.true') }, { value: false, label: t('learning.false') }]}
          data-testid="learning-question-key" />
      </Form.Item>
    );
  }
  if (kind === 'SHORT') {
    return (
      <Form.Item name="answer" label={t('learning.qa.reference')} rules={required}>
        <Input.TextArea autoSize={{ minRows: 2, maxRows: 6 }} data-testid="learning-question-key" />
      </Form.Item>
    );
  }
  return (
    <Form.List name="answer">
      {(fields, { add, remove }) => (
        <Form.Item label={t('learning.qa.blanks')} required extra={t('learning.qa.blanksHint')}>
          {fields.map((f, i) => (
            <Flex key={f.key} gap={4} style={{ marginBottom: 8 }}>
              <Form.Item name={f.name} noStyle rules={[{ type: 'array', min: 1, message: t('learning.qa.answerRequired') }]}>
                <Select mode="tags" open={false} suffixIcon={null} placeholder={t('learning.blankN', { n: i + 1 })} style={{ flex: 1 }}
                  tokenSeparators={['|', '，', ',']} data-testid="learning-question-blank" />
              </Form.Item>
              <Button type="text" danger icon={<DeleteOutlined />} disabled={fields.length <= 1} onClick={() => remove(f.name)} aria-label={t('learning.remove')} />
            </Flex>
          ))}
          <Button type="dashed" icon={<PlusOutlined />} onClick={() => add([])}>{t('learning.qa.addBlank')}</Button>
        </Form.Item>
      )}
    </Form.List>
  );
}
