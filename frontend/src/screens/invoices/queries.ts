// The list queries: the screen and the export read the same rows.
import { graphql } from "../../gql";

graphql(`
  fragment InvoiceRow on Invoice {
    id
    number
    status
    version
    allowedTransitions
    isCreditNote
    issueDate
    depositedAt
    currency
    serviceCode
    engagementNumber
    rejectionAcknowledgedAt
    supplier {
      identifier
      name
    }
    recipient {
      identifier
      name
    }
    totals {
      withoutVat
      vat
      withVat
    }
  }
`);

export const ReceivedQuery = graphql(`
  query ReceivedInvoices(
    $first: Int
    $last: Int
    $after: String
    $before: String
    $filter: InvoiceFilter
    $sortBy: InvoiceSort
  ) {
    workspace {
      id
      invoices: receivedInvoices(
        first: $first
        last: $last
        after: $after
        before: $before
        filter: $filter
        sortBy: $sortBy
      ) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        nodes {
          ...InvoiceRow
        }
      }
    }
  }
`);

export const IssuedQuery = graphql(`
  query IssuedInvoices(
    $first: Int
    $last: Int
    $after: String
    $before: String
    $filter: InvoiceFilter
    $sortBy: InvoiceSort
  ) {
    workspace {
      id
      invoices: issuedInvoices(
        first: $first
        last: $last
        after: $after
        before: $before
        filter: $filter
        sortBy: $sortBy
      ) {
        totalCount
        pageInfo {
          hasNextPage
          hasPreviousPage
          startCursor
          endCursor
        }
        nodes {
          ...InvoiceRow
        }
      }
    }
  }
`);
