// Build or edit a course: title, category (of a department or the whole hospital), credits, and
// chapters of video, document and article lessons, reordered with the arrows; saved as a draft or
// published. Server errors land under the field they name (`chapters.0.lessons.1.url`).
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Card, Drawer, Flex, Form, Grid, Input, InputNumber, Select, Skeleton, Space } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { FormErrors } from '@workbench/components/QueryState';
import { DepartmentPicker } from '@workbench/features/org/DepartmentPicker';
import type { LearningLessonKind } from '@workbench/gql/graphql';
import { CreateCourseMutation, EditCourseQuery, UpdateCourseMutation } from './adminOperations';

interface LessonForm {
  id?: string;
  title: string;
  kind: LearningLessonKind;
  url?: string;
  body?: string;
  durationSeconds?: number;
}

interface CourseForm {
  title: string;
  description?: string;
  category?: string;
  department?: string;
  credits?: number;
  creditKind?: string;
  chapters: { title: string; lessons: LessonForm[] }[];
}

const KINDS: LearningLessonKind[] = ['ARTICLE', 'VIDEO', 'DOCUMENT'];
const NEW_LESSON: LessonForm = { title: '', kind: 'ARTICLE' };

interface Props {
  courseId: string | null; // null: a new course
  categories: string[];
  onClose: () => void;
  onSaved: (id: string, published: boolean) => void;
}

export default function CourseEditor({ courseId, categories, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const [form] = Form.useForm<CourseForm>();
  const screens = Grid.useBreakpoint();
  const [general, setGeneral] = useState<FieldError[]>([]);
  const [existing] = useQuery({ query: EditCourseQuery, variables: { id: courseId ?? '' }, pause: !courseId, requestPolicy: 'network-only' });
  const [creating, create] = useMutation(CreateCourseMutation);
  const [updating, update] = useMutation(UpdateCourseMutation);
  const course = existing.data?.learningCourse;

  useEffect(() => {
    if (!course) return;
    form.setFieldsValue({
      title: course.title, description: course.description, category: course.categoryName || undefined,
      department: course.departmentId ?? undefined, credits: course.credits, creditKind: course.creditKind || undefined,
      chapters: course.chapters.map((c) => ({ title: c.title, lessons: c.lessons.map((l) => ({
        id: l.id, title: l.title, kind: l.kind, url: l.url || undefined, body: l.body || undefined, durationSeconds: l.durationSeconds || undefined,
      })) })),
    });
  }, [course, form]);

  const save = async (publish: boolean) => {
    let v: CourseForm;
    try {
      v = await form.validateFields();
    } catch {
      return;
    }
    setGeneral([]);
    const chapters = v.chapters.map((c) => ({ title: c.title, lessons: c.lessons.map((l) => ({
      ...(l.id ? { id: l.id } : {}), title: l.title, kind: l.kind,
      url: l.kind === 'ARTICLE' ? null : (l.url ?? null), body: l.kind === 'ARTICLE' ? (l.body ?? null) : null,
      durationSeconds: l.kind === 'VIDEO' ? (l.durationSeconds ?? null) : null,
    })) }));
    const fields = { title: v.title, description: v.description ?? '', category: v.category ?? '', department: v.department ?? null,
      credits: v.credits ?? 0, creditKind: v.creditKind ?? '', chapters, published: publish || (course?.isPublished ?? false) };
    const r = courseId ? await update({ input: { id: courseId, ...fields } }) : await create({ input: fields });
    const payload = r.data && ('updateLearningCourse' in r.data ? r.data.updateLearningCourse : r.data.createLearningCourse);
    if (r.error) return setGeneral([{ code: 'REQUEST', message: errorText(r.error) }]);
    if (payload?.errors.length) return setGeneral(applyFieldErrors(form, payload.errors));
    if (payload?.course) onSaved(payload.course.id, payload.course.isPublished);
  };

  const busy = creating.fetching || updating.fetching;
  return (
    <Drawer open onClose={onClose} size={screens.md ? 720 : '100%'} title={courseId ? t('learning.ca.edit') : t('learning.ca.new')} destroyOnHidden
      data-testid="learning-course-editor"
      footer={(
        <Flex gap={8} wrap justify="end">
          {!course?.isPublished && <Button onClick={() => save(false)} loading={busy} data-testid="learning-course-save-draft">{t('learning.ca.saveDraft')}</Button>}
          <Button type="primary" onClick={() => save(true)} loading={busy} data-testid="learning-course-publish">
            {course?.isPublished ? t('learning.ca.save') : t('learning.ca.saveAndPublish')}
          </Button>
        </Flex>
      )}>
      {courseId && !course ? <Skeleton active /> : (
        <Form form={form} layout="vertical" data-testid="learning-course-form"
          initialValues={{ credits: 0, chapters: [{ title: t('learning.ca.chapterN', { n: 1 }), lessons: [NEW_LESSON] }] }}>
          <FormErrors errors={general} />
          <Form.Item name="title" label={t('learning.ca.title')} rules={[{ required: true, message: t('learning.required') }]}>
            <Input maxLength={100} data-testid="learning-course-title" />
          </Form.Item>
          <Form.Item name="description" label={t('learning.ca.description')}><Input.TextArea autoSize={{ minRows: 2, maxRows: 5 }} /></Form.Item>
          <Flex gap={12} wrap>
            <Form.Item name="category" label={t('learning.ca.category')} style={{ flex: '1 1 160px' }}>
              <AutoComplete options={categories.map((c) => ({ value: c }))} maxLength={40} data-testid="learning-course-category"
                filterOption={(input, o) => String(o?.value ?? '').includes(input)} />
            </Form.Item>
            <Form.Item name="department" label={t('learning.ca.categoryDepartment')} style={{ flex: '1 1 160px' }}>
              <DepartmentPicker />
            </Form.Item>
          </Flex>
          <Flex gap={12} wrap>
            <Form.Item name="credits" label={t('learning.credits')}>
              <InputNumber min={0} max={99.9} step={0.5} data-testid="learning-course-credits" />
            </Form.Item>
            <Form.Item name="creditKind" label={t('learning.creditKind')}>
              <Select allowClear style={{ width: 120 }} options={['Ⅰ类', 'Ⅱ类'].map((k) => ({ value: k, label: k }))} />
            </Form.Item>
          </Flex>
          <Form.List name="chapters">
            {(chapters, { add, remove, move }) => (
              <Space direction="vertical" style={{ width: '100%' }}>
                {chapters.map((ch, ci) => (
                  <Card key={ch.key} size="small" data-testid="learning-chapter"
                    title={(
                      <Form.Item name={[ch.name, 'title']} rules={[{ required: true, message: t('learning.required') }]} style={{ margin: 0 }}>
                        <Input placeholder={t('learning.ca.chapterTitle')} variant="borderless" data-testid="learning-chapter-title" />
                      </Form.Item>
                    )}
                    extra={(
                      <Space size={0}>
                        <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={ci === 0} onClick={() => move(ci, ci - 1)} aria-label={t('learning.ca.up')} />
                        <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={ci === chapters.length - 1} onClick={() => move(ci, ci + 1)} aria-label={t('learning.ca.down')} />
                        <Button type="text" size="small" danger icon={<DeleteOutlined />} disabled={chapters.length === 1} onClick={() => remove(ch.name)} aria-label={t('learning.remove')} />
                      </Space>
                    )}>
                    <Lessons chapter={ch.name} />
                  </Card>
                ))}
                <Button icon={<PlusOutlined />} onClick={() => add({ title: t('learning.ca.chapterN', { n: chapters.length + 1 }), lessons: [NEW_LESSON] })}
                  data-testid="learning-add-chapter">{t('learning.ca.addChapter')}</Button>
              </Space>
            )}
          </Form.List>
        </Form>
      )}
    </Drawer>
  );
}

function Lessons({ chapter }: { chapter: number }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<CourseForm>();
  return (
    <Form.List name={[chapter, 'lessons']}>
      {(lessons, { add, remove, move }) => (
        <>
          {lessons.map((ls, li) => (
            <div key={ls.key} data-testid="learning-lesson-edit" style={{ borderBottom: '1px dashed #e5e5e5', marginBottom: 12 }}>
              <Flex gap={8} wrap align="start">
                <Form.Item name={[ls.name, 'kind']} style={{ flex: '0 0 96px', marginBottom: 8 }}>
                  <Select options={KINDS.map((k) => ({ value: k, label: t(`learning.ca.kind.${k}`) }))} data-testid="learning-lesson-kind" />
                </Form.Item>
                <Form.Item name={[ls.name, 'title']} rules={[{ required: true, message: t('learning.required') }]} style={{ flex: '1 1 160px', marginBottom: 8 }}>
                  <Input placeholder={t('learning.ca.lessonTitle')} maxLength={100} data-testid="learning-lesson-title" />
                </Form.Item>
                <Space size={0}>
                  <Button type="text" size="small" icon={<ArrowUpOutlined />} disabled={li === 0} onClick={() => move(li, li - 1)} aria-label={t('learning.ca.up')} />
                  <Button type="text" size="small" icon={<ArrowDownOutlined />} disabled={li === lessons.length - 1} onClick={() => move(li, li + 1)} aria-label={t('learning.ca.down')} />
                  <Button type="text" size="small" danger icon={<DeleteOutlined />} disabled={lessons.length === 1} onClick={() => remove(ls.name)} aria-label={t('learning.remove')} />
                </Space>
              </Flex>
              <Form.Item noStyle shouldUpdate>
                {() => {
                  const kind = form.getFieldValue(['chapters', chapter, 'lessons', ls.name, 'kind']) as LearningLessonKind;
                  if (kind === 'ARTICLE') {
                    return (
                      <Form.Item name={[ls.name, 'body']} rules={[{ required: true, message: t('learning.required') }]}>
                        <Input.TextArea autoSize={{ minRows: 3, maxRows: 10 }} placeholder={t('learning.ca.body')} data-testid="learning-lesson-body" />
                      </Form.Item>
                    );
                  }
                  return (
                    <Flex gap={8} wrap>
                      <Form.Item name={[ls.name, 'url']} rules={[{ required: true, message: t('learning.required') }, { type: 'url', message: t('learning.ca.badUrl') }]}
                        style={{ flex: '1 1 200px' }}>
                        <Input placeholder={t(kind === 'VIDEO' ? 'learning.ca.videoUrl' : 'learning.ca.documentUrl')} data-testid="learning-lesson-url" />
                      </Form.Item>
                      {kind === 'VIDEO' && (
                        <Form.Item name={[ls.name, 'durationSeconds']} rules={[{ required: true, message: t('learning.required') }]}>
                          <InputNumber min={1} max={86400} addonAfter={t('learning.ca.seconds')} style={{ width: 140 }} data-testid="learning-lesson-duration" />
                        </Form.Item>
                      )}
                    </Flex>
                  );
                }}
              </Form.Item>
            </div>
          ))}
          <Button type="dashed" block icon={<PlusOutlined />} onClick={() => add(NEW_LESSON)} data-testid="learning-add-lesson">{t('learning.ca.addLesson')}</Button>
        </>
      )}
    </Form.List>
  );
}
