import type { AppCategory } from '../../gql/graphql';

/** The workbench's lines, in the order of seed 004. */
export const CATEGORIES: AppCategory[] = ['ADMINISTRATIVE', 'CLINICAL', 'PUBLIC_HEALTH', 'MANAGEMENT'];
