// The organisation tree's rules as the form needs them (the server checks them again:
// platform/jianlian/hierarchy/models.py ALLOWED_PARENTS and services._type_problem).
import type { Level, UnitType } from '../../gql/graphql';

export const CHILD_LEVELS: Record<Level | 'ROOT', Level[]> = {
  ROOT: ['PROVINCE'],
  PROVINCE: ['CITY', 'COUNTY', 'HOSPITAL'],
  CITY: ['COUNTY', 'HOSPITAL'],
  COUNTY: ['LEAD'],
  LEAD: ['MEMBER'],
  MEMBER: [],
  HOSPITAL: [],
};

export const AUTHORITY_LEVELS: Level[] = ['PROVINCE', 'CITY', 'COUNTY'];

export const UNIT_TYPES: UnitType[] = [
  'HEALTH_COMMISSION',
  'COUNTY_HOSPITAL',
  'TCM_HOSPITAL',
  'MATERNAL_CHILD',
  'GENERAL_HOSPITAL',
  'SPECIALIST_HOSPITAL',
  'TOWNSHIP_CENTRE',
  'COMMUNITY_CENTRE',
  'VILLAGE_CLINIC',
  'OTHER',
];

export function unitTypesFor(level: Level | undefined, parentLevel?: Level): UnitType[] {
  if (!level) return UNIT_TYPES;
  if (level === 'MEMBER' && parentLevel === 'MEMBER') return ['VILLAGE_CLINIC']; // under a township centre
  return AUTHORITY_LEVELS.includes(level) ? ['HEALTH_COMMISSION'] : UNIT_TYPES.filter((u) => u !== 'HEALTH_COMMISSION');
}

/** Levels whose units may become tenants (a community's lead unit, a standalone hospital). */
export const TENANT_LEVELS: Level[] = ['LEAD', 'HOSPITAL'];
