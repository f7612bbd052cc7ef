/** The portal's operations. `graphql()` is generated from the portal's schema: each is typed, variables and result. */
import { graphql } from './gql';

export const Catalogue = graphql(`
  query Catalogue {
    serviceItems {
      code
      name
      modes
    }
  }
`);

/** The signed-in citizen's own record; the applications only when asked for ($withApplications). */
export const MyProfile = graphql(`
  query MyProfile($idNumber: IdNumber!, $withApplications: Boolean!) {
    person(idNumber: $idNumber) {
      idNumber
      name
      birthDate
      household {
        regionCode
      }
      applications @include(if: $withApplications) {
        id
        status
        submittedAt
        item {
          code
          name
        }
      }
    }
  }
`);
