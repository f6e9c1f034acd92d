// What the detail screen reads of one invoice.
import { graphql } from "../../gql";
import type { InvoiceDetailQuery } from "../../gql/graphql";

export const InvoiceQuery = graphql(`
  query InvoiceDetail($id: ID!) {
    node(id: $id) {
      ... on Invoice {
        id
        number
        side
        status
        statusAt
        version
        allowedTransitions
        rejectionAcknowledgedAt
        typeCode
        isCreditNote
        issueDate
        depositedAt
        currency
        frame
        serviceCode
        engagementNumber
        documentName
        syntax
        ...InvoiceParties
        validator {
          identifier
        }
        totals {
          withoutVat
          vat
          withVat
          amountDue
        }
        precedingInvoices {
          number
          issueDate
        }
        document {
          seller {
            ...DocumentParty
          }
          buyer {
            ...DocumentParty
          }
          dueDate
          paymentTerms
          payment {
            meansCode
            meansText
            remittance
            mandate
            creditTransfers {
              account
              accountName
              provider
            }
          }
          buyerReference
          projectReference
          contractReference
          orderReference
          salesOrderReference
          receivingAdviceReference
          despatchAdviceReference
          tenderReference
          buyerAccountingReference
          periodStart
          periodEnd
          deliveryDate
          notes
        }
        vatBreakdown {
          category
          rate
          taxable
          tax
          exemptionReason
        }
        lines(first: 100) {
          totalCount
          nodes {
            lineId
            itemName
            quantity
            unit
            netPrice
            netAmount
            vatCategory
            vatRate
            note
          }
        }
        attachments {
          filename
          mediaType
          size
          kind
          addedAt
          downloadUrl
        }
        downloads {
          original
          ubl
          cii
          pdf
        }
        history {
          status
          fromStatus
          at
          actor
          actorSide
          action
          reason
        }
      }
    }
  }
`);

graphql(`
  fragment DocumentParty on InvoiceDocumentParty {
    name
    tradingName
    legalRegistration
    identifiers
    vatId
    address {
      line1
      line2
      line3
      postcode
      city
      subdivision
      country
    }
    contact {
      name
      phone
      email
    }
  }
`);

export type DetailInvoice = Extract<NonNullable<InvoiceDetailQuery["node"]>, { number: string }>;

/** The node as an invoice, or null (another type, or none). */
export function asInvoice(node: InvoiceDetailQuery["node"] | undefined): DetailInvoice | null {
  return node && "number" in node ? (node as DetailInvoice) : null;
}
