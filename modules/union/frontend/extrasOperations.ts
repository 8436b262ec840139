// GraphQL documents of 自主学习 (the learning centre's and announcements' own fields, read through
// their GraphQL), 职工书屋, 工会图集 and 惠在协和.
import { graphql } from '@workbench/gql';

export const UnionLearningQuery = graphql(`
  query UnionLearning {
    learningQuizCampaigns {
      id
      title
      kind
      myToday {
        id
        completedAt
      }
    }
    learningCourses(first: 5) {
      edges {
        node {
          id
          title
          credits
        }
      }
    }
    myLearningAssignments {
      id
      myCompletedAt
      exam {
        id
        title
      }
      course {
        id
        title
      }
    }
  }
`);

export const UnionNewsQuery = graphql(`
  query UnionNews {
    announcements(view: READABLE, first: 30) {
      edges {
        node {
          id
          title
          publishedAt
          column {
            id
            name
          }
        }
      }
    }
  }
`);


export const UnionBooksQuery = graphql(`
  query UnionBooks {
    unionBooks {
      id
      title
      author
      category
      url
      nodeName
      clicks
      readers
      canManage
    }
  }
`);

export const OpenUnionBookMutation = graphql(`
  mutation OpenUnionBook($book: ID!) {
    openUnionBook(input: { book: $book }) {
      book {
        id
        url
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const AddUnionBookMutation = graphql(`
  mutation AddUnionBook($input: AddUnionBookInput!) {
    addUnionBook(input: $input) {
      book {
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

export const UnionAlbumsQuery = graphql(`
  query UnionAlbums {
    unionAlbums {
      id
      title
      description
      nodeName
      activityTitle
      photoCount
      cover
      createdAt
      canManage
    }
  }
`);

export const UnionAlbumPhotosQuery = graphql(`
  query UnionAlbumPhotos($id: ID!) {
    unionAlbumPhotos(id: $id) {
      url
      caption
    }
  }
`);

export const CreateUnionAlbumMutation = graphql(`
  mutation CreateUnionAlbum($input: CreateUnionAlbumInput!) {
    createUnionAlbum(input: $input) {
      album {
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

export const AddUnionAlbumPhotoMutation = graphql(`
  mutation AddUnionAlbumPhoto($input: AddUnionAlbumPhotoInput!) {
    addUnionAlbumPhoto(input: $input) {
      album {
        id
        photoCount
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UnionOffersQuery = graphql(`
  query UnionOffers($manage: Boolean) {
    unionOffers(manage: $manage) {
      id
      title
      merchant
      discount
      validFrom
      validUntil
      image
      nodeName
      canManage
    }
  }
`);

export const PostUnionOfferMutation = graphql(`
  mutation PostUnionOffer($input: PostUnionOfferInput!) {
    postUnionOffer(input: $input) {
      offer {
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

export const WithdrawUnionOfferMutation = graphql(`
  mutation WithdrawUnionOffer($offer: ID!) {
    withdrawUnionOffer(input: { offer: $offer }) {
      ok
      errors {
        field
        code
        message
      }
    }
  }
`);

export const UnionManagedNodesQuery = graphql(`
  query UnionManagedNodes {
    unionTree {
      id
      name
      canManage
    }
    unionActivities {
      id
      title
      availableActions
    }
  }
`);
