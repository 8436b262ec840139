// Whether the signed-in user may enter supervision data anywhere (the menu shows the entry page
// only then). A workspace without the app answers APP_NOT_INSTALLED, which also means no.
import { useQuery } from 'urql';
import { EntryUnitsQuery } from './EntryOperations';

export function useCanReportSupervision(enabled: boolean): boolean {
  const [result] = useQuery({ query: EntryUnitsQuery, pause: !enabled });
  return (result.data?.supervisionReportingUnits.length ?? 0) > 0;
}
