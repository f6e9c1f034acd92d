// The list queries: the screen and the export read the same rows.
import { graphql } from "../../gql";

// Who the invoice is between: every list and the detail name both parties.
graphql(`
  fragment InvoiceParties on Invoice {
    supplier {
      identifier
      name
    }
    recipient {
      identifier
      name
    }
  }
`);

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
    ...InvoiceParties
    totals {
      withoutVat
      vat
      withVat
    }
  }
`);

graphql(`
  fragment InvoicePage on InvoiceConnection {
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
        ...InvoicePage
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
        ...InvoicePage
      }
    }
  }
`);
