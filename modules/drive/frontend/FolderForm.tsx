// A new folder: name, category, issuing unit and who reads it (people, departments); a restricted
// folder is readable only by those named and its managers.
import { useState } from 'react';
import { Alert, Form, Input, Modal, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { ContactPicker } from '@workbench/features/org/ContactPicker';
import { DepartmentPicker } from '@workbench/features/org/DepartmentPicker';
import { CreateDriveFolderMutation, DriveUnitsQuery } from './operations';

interface Values {
  name: string;
  category: string;
  unit: string;
  restricted: boolean;
  users?: string[];
  departments?: string[];
  managers?: string[];
}

const CATEGORIES = ['制度文件', '会议材料', '培训资料', '表格模板', '医务'];

export function FolderForm({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (id: string) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [units] = useQuery({ query: DriveUnitsQuery, pause: !open });
  const [state, create] = useMutation(CreateDriveFolderMutation);
  const [general, setGeneral] = useState<FieldError[]>([]);
  const restricted = Form.useWatch('restricted', form);

  async function submit(values: Values) {
    const input = { ...values, restricted: !!values.restricted, users: values.users ?? [], departments: values.departments ?? [], managers: values.managers ?? [] };
    const r = await create({ input });
    const errors = r.data?.createDriveFolder?.errors ?? [];
    if (r.error) return setGeneral([{ code: 'ERROR', message: errorText(r.error) }]);
    if (errors.length) return setGeneral(applyFieldErrors(form, errors));
    form.resetFields();
    onCreated(r.data?.createDriveFolder?.folder?.id ?? '');
  }

  return (
    <Modal open={open} title={t('drive.newFolder')} onCancel={onClose} onOk={() => form.submit()} confirmLoading={state.fetching} destroyOnHidden okButtonProps={{ 'data-testid': 'drive-folder-save' } as Record<string, string>}>
      {general.map((e) => <Alert key={e.message} type="error" showIcon title={e.message} style={{ marginBottom: 12 }} />)}
      <Form form={form} layout="vertical" onFinish={submit} initialValues={{ restricted: false, unit: units.data?.driveUnits[0]?.id }}>
        <Form.Item name="name" label={t('drive.folderName')} rules={[{ required: true, message: t('drive.nameRequired') }]}>
          <Input maxLength={80} data-testid="drive-folder-name" />
        </Form.Item>
        <Form.Item name="category" label={t('drive.category')} rules={[{ required: true, message: t('drive.categoryRequired') }]}>
          <Select showSearch options={CATEGORIES.map((c) => ({ value: c, label: c }))} data-testid="drive-folder-category" />
        </Form.Item>
        <Form.Item name="unit" label={t('drive.unit')} rules={[{ required: true, message: t('drive.unitRequired') }]}>
          <Select options={(units.data?.driveUnits ?? []).map((u) => ({ value: u.id, label: u.name }))} />
        </Form.Item>
        <Form.Item name="restricted" label={t('drive.restricted')} valuePropName="checked" extra={t('drive.restrictedHint')}>
          <Switch data-testid="drive-folder-restricted" />
        </Form.Item>
        <Form.Item name="departments" label={t('drive.departments')} extra={restricted ? undefined : t('drive.audienceHint')}>
          <DepartmentPicker multiple />
        </Form.Item>
        <Form.Item name="users" label={t('drive.people')}>
          <ContactPicker multiple placeholder={t('drive.peopleHint')} />
        </Form.Item>
        <Form.Item name="managers" label={t('drive.managers')} extra={t('drive.managersHint')}>
          <ContactPicker multiple placeholder={t('drive.peopleHint')} data-testid="drive-folder-managers" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
