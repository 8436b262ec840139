// The drive's documents, shared by the folder list and a folder's page.
import { graphql } from '@workbench/gql';

export const DriveFoldersQuery = graphql(`
  query DriveFolders {
    driveFolders {
      id
      name
      category
      unitName
      restricted
      canManage
      audienceSummary
    }
    driveUsage {
      usedBytes
      quotaBytes
      canCreateFolders
    }
  }
`);

export const DriveFolderQuery = graphql(`
  query DriveFolder($id: ID!) {
    driveFolder(id: $id) {
      id
      name
      category
      unitName
      restricted
      canManage
      audienceSummary
      managerNames
      files {
        id
        name
        updatedAt
        current {
          number
          size
          contentType
          uploadedByName
          createdAt
          downloadPath
          previewPath
        }
        versions {
          number
          size
          uploadedByName
          createdAt
          downloadPath
          previewPath
        }
      }
      downloads(first: 100) {
        fileName
        versionNumber
        userName
        kind
        at
      }
    }
  }
`);

export const DriveUnitsQuery = graphql(`
  query DriveUnits {
    driveUnits {
      id
      name
    }
  }
`);

export const CreateDriveFolderMutation = graphql(`
  mutation CreateDriveFolder($input: CreateDriveFolderInput!) {
    createDriveFolder(input: $input) {
      folder {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const DeleteDriveFileMutation = graphql(`
  mutation DeleteDriveFile($input: DeleteDriveFileInput!) {
    deleteDriveFile(input: $input) {
      ok
      errors {
        field
        code
        message
      }
    }
  }
`);

export const DriveLinkMutation = graphql(`
  mutation DriveLink($path: String!) {
    createSignedLink(input: { path: $path }) {
      url
      errors {
        code
        message
      }
    }
  }
`);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KB', 'MB', 'GB', 'TB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i += 1;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
