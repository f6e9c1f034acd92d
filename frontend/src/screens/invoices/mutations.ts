// The decisions on an invoice, shared by the detail screen and the lists' grouped action.
import { graphql } from "../../gql";

export const ProcessInvoice = graphql(`
  mutation ProcessInvoice($input: ProcessInvoiceInput!) {
    processInvoice(input: $input) {
      invoice {
        id
        status
        version
        allowedTransitions
      }
      userErrors {
        ...InvoiceProblem
      }
    }
  }
`);

export const AcknowledgeRejection = graphql(`
  mutation AcknowledgeRejection($input: AcknowledgeRejectionInput!) {
    acknowledgeRejection(input: $input) {
      invoice {
        id
        status
        version
        rejectionAcknowledgedAt
      }
      userErrors {
        ...InvoiceProblem
      }
    }
  }
`);

export const CompleteInvoice = graphql(`
  mutation CompleteInvoice($input: CompleteInvoiceInput!) {
    completeInvoice(input: $input) {
      invoice {
        id
        status
        version
      }
      userErrors {
        ...InvoiceProblem
      }
    }
  }
`);

export const RecycleInvoice = graphql(`
  mutation RecycleInvoice($input: RecycleInvoiceInput!) {
    recycleInvoice(input: $input) {
      invoice {
        id
        status
        version
        allowedTransitions
      }
      userErrors {
        ...InvoiceProblem
      }
    }
  }
`);
