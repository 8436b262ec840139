// 课程管理: every course (drafts too) with its status; build or edit one, publish or withdraw it,
// assign it to departments with a deadline (then its live completion opens), import a course list.
import { PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Input, Modal, Space, Table, Tag } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { FormErrors, QueryState } from '@workbench/components/QueryState';
import { DepartmentPicker } from '@workbench/features/org/DepartmentPicker';
import { AssignCourseMutation, ManagedCoursesQuery, PublishCourseMutation } from './adminOperations';
import CourseEditor from './CourseEditor';
import LearningImport from './LearningImport';

export default function CourseAdmin() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [result, reexecute] = useQuery({ query: ManagedCoursesQuery, variables: { search }, requestPolicy: 'cache-and-network' });
  const [, publish] = useMutation(PublishCourseMutation);
  const [editing, setEditing] = useState<string | null | undefined>(undefined); // null: new course
  const [assigning, setAssigning] = useState<{ id: string; title: string } | null>(null);
  const [importing, setImporting] = useState(false);
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const courses = (result.data?.learningManagedCourses.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const categories = [...new Set((result.data?.learningCourseCategories ?? []).map((c) => c.name))];

  const toggle = async (id: string, published: boolean) => {
    const r = await publish({ course: id, published });
    const e = r.data?.publishLearningCourse?.errors?.[0];
    if (e || r.error) return void message.error(e?.message ?? errorText(r.error));
    void message.success(t(published ? 'learning.ca.published' : 'learning.ca.withdrawn'));
  };

  return (
    <div data-testid="learning-course-admin">
      <Space wrap style={{ marginBottom: 12 }}>
        <Button type="primary" icon={<PlusOutlined />} onClick={() => setEditing(null)} data-testid="learning-new-course">{t('learning.ca.new')}</Button>
        <Button icon={<UploadOutlined />} onClick={() => setImporting(true)} data-testid="learning-import-courses">{t('learning.ca.import')}</Button>
        <Input.Search allowClear placeholder={t('learning.searchCourses')} onSearch={setSearch} style={{ width: 200 }} />
      </Space>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={courses.length === 0 && !search}
        emptyText={t('learning.noCourses')} onRetry={refresh}>
        <Table size="small" rowKey="id" dataSource={courses} pagination={{ pageSize: 20, hideOnSinglePage: true }} scroll={{ x: true }}
          onRow={(c) => ({ 'data-testid': 'learning-course-admin-row', 'data-title': c.title } as React.HTMLAttributes<HTMLElement>)}
          columns={[
            { title: t('learning.ca.title'), dataIndex: 'title' },
            { title: t('learning.ca.category'), responsive: ['md'], render: (_v, c) => [c.departmentName, c.categoryName].filter(Boolean).join(' · ') },
            { title: t('learning.credits'), dataIndex: 'credits', responsive: ['sm'] },
            { title: t('learning.ca.lessons'), dataIndex: 'lessonCount', responsive: ['sm'] },
            { title: t('learning.ca.status'), render: (_v, c) => (c.isPublished
              ? <Tag color="green">{t('learning.ca.isPublished')}</Tag> : <Tag>{t('learning.ca.draft')}</Tag>) },
            { title: t('learning.ca.actions'), render: (_v, c) => (
              <Space size={0} wrap>
                <Button type="link" size="small" onClick={() => setEditing(c.id)} data-testid="learning-edit-course">{t('learning.ca.editShort')}</Button>
                {c.isPublished ? (
                  <>
                    <Button type="link" size="small" onClick={() => setAssigning(c)} data-testid="learning-assign-course">{t('learning.ca.assign')}</Button>
                    <Button type="link" size="small" danger onClick={() => toggle(c.id, false)}>{t('learning.ca.withdraw')}</Button>
                  </>
                ) : (
                  <Button type="link" size="small" onClick={() => toggle(c.id, true)} data-testid="learning-publish-course">{t('learning.ca.publish')}</Button>
                )}
              </Space>
            ) },
          ]} />
      </QueryState>
      {editing !== undefined && (
        <CourseEditor courseId={editing} categories={categories} onClose={() => setEditing(undefined)} onSaved={(_id, published) => {
          void message.success(t(published ? 'learning.ca.published' : 'learning.ca.savedDraft'));
          setEditing(undefined);
          refresh();
        }} />
      )}
      {assigning && <AssignCourse course={assigning} onClose={() => setAssigning(null)} />}
      {importing && <LearningImport what="courses" onClose={() => setImporting(false)} onImported={refresh} />}
    </div>
  );
}

interface AssignForm {
  departments: string[];
  deadline: Dayjs;
}

function AssignCourse({ course, onClose }: { course: { id: string; title: string }; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [form] = Form.useForm<AssignForm>();
  const [state, assign] = useMutation(AssignCourseMutation);
  const [general, setGeneral] = useState<FieldError[]>([]);
  const onFinish = async (v: AssignForm) => {
    setGeneral([]);
    const r = await assign({ input: { course: course.id, audience: { departmentIds: v.departments }, deadline: v.deadline.toISOString() } });
    if (r.error) return setGeneral([{ code: 'REQUEST', message: errorText(r.error) }]);
    const errors = (r.data?.assignLearningCourse?.errors ?? []).map((e) => (e.field === 'audience' ? { ...e, field: 'departments' } : e));
    if (errors.length) return setGeneral(applyFieldErrors(form, errors));
    navigate(`/learning/assignments/${encodeURIComponent(r.data?.assignLearningCourse?.assignment?.id ?? '')}`);
  };
  return (
    <Modal open title={`${t('learning.ca.assign')} · ${course.title}`} onCancel={onClose} onOk={() => form.submit()} okText={t('learning.assignSubmit')}
      confirmLoading={state.fetching} okButtonProps={{ ...{ 'data-testid': 'learning-assign-course-submit' } }} destroyOnHidden>
      <FormErrors errors={general} />
      <Form form={form} layout="vertical" onFinish={onFinish} data-testid="learning-assign-course-form">
        <Form.Item name="departments" label={t('learning.departments')} rules={[{ required: true, message: t('learning.required') }]}>
          <DepartmentPicker multiple data-testid="learning-assign-course-departments" />
        </Form.Item>
        <Form.Item name="deadline" label={t('learning.deadline')} rules={[{ required: true, message: t('learning.required') }]}>
          <DatePicker showTime style={{ width: '100%' }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
