/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Shell {\n    viewer {\n      role\n      user {\n        displayName\n        email\n      }\n      workspaces {\n        identifier\n        identifierType\n        name\n        isPublic\n        role\n        access\n        current\n      }\n    }\n  }\n": typeof types.ShellDocument,
    "\n  query InvoiceDetail($id: ID!) {\n    node(id: $id) {\n      ... on Invoice {\n        id\n        number\n        side\n        status\n        typeCode\n        isCreditNote\n        issueDate\n        depositedAt\n        currency\n        frame\n        serviceCode\n        engagementNumber\n        documentName\n        syntax\n        supplier {\n          identifier\n          name\n        }\n        recipient {\n          identifier\n          name\n        }\n        totals {\n          withoutVat\n          vat\n          withVat\n          amountDue\n        }\n        vatBreakdown {\n          category\n          rate\n          taxable\n          tax\n          exemptionReason\n        }\n        lines(first: 100) {\n          totalCount\n          nodes {\n            lineId\n            itemName\n            quantity\n            unit\n            netPrice\n            netAmount\n            vatRate\n            note\n          }\n        }\n        attachments {\n          filename\n          mediaType\n          size\n          kind\n          downloadUrl\n        }\n        downloads {\n          original\n          ubl\n          cii\n          pdf\n        }\n        history {\n          status\n          fromStatus\n          at\n          actor\n          action\n          reason\n        }\n      }\n    }\n  }\n": typeof types.InvoiceDetailDocument,
    "\n  fragment InvoiceRow on Invoice {\n    id\n    number\n    status\n    isCreditNote\n    issueDate\n    depositedAt\n    currency\n    supplier {\n      identifier\n      name\n    }\n    recipient {\n      identifier\n      name\n    }\n    totals {\n      withVat\n    }\n  }\n": typeof types.InvoiceRowFragmentDoc,
    "\n  query ReceivedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {\n    workspace {\n      id\n      invoices: receivedInvoices(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...InvoiceRow\n        }\n      }\n    }\n  }\n": typeof types.ReceivedInvoicesDocument,
    "\n  query IssuedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {\n    workspace {\n      id\n      invoices: issuedInvoices(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...InvoiceRow\n        }\n      }\n    }\n  }\n": typeof types.IssuedInvoicesDocument,
};
const documents: Documents = {
    "\n  query Shell {\n    viewer {\n      role\n      user {\n        displayName\n        email\n      }\n      workspaces {\n        identifier\n        identifierType\n        name\n        isPublic\n        role\n        access\n        current\n      }\n    }\n  }\n": types.ShellDocument,
    "\n  query InvoiceDetail($id: ID!) {\n    node(id: $id) {\n      ... on Invoice {\n        id\n        number\n        side\n        status\n        typeCode\n        isCreditNote\n        issueDate\n        depositedAt\n        currency\n        frame\n        serviceCode\n        engagementNumber\n        documentName\n        syntax\n        supplier {\n          identifier\n          name\n        }\n        recipient {\n          identifier\n          name\n        }\n        totals {\n          withoutVat\n          vat\n          withVat\n          amountDue\n        }\n        vatBreakdown {\n          category\n          rate\n          taxable\n          tax\n          exemptionReason\n        }\n        lines(first: 100) {\n          totalCount\n          nodes {\n            lineId\n            itemName\n            quantity\n            unit\n            netPrice\n            netAmount\n            vatRate\n            note\n          }\n        }\n        attachments {\n          filename\n          mediaType\n          size\n          kind\n          downloadUrl\n        }\n        downloads {\n          original\n          ubl\n          cii\n          pdf\n        }\n        history {\n          status\n          fromStatus\n          at\n          actor\n          action\n          reason\n        }\n      }\n    }\n  }\n": types.InvoiceDetailDocument,
    "\n  fragment InvoiceRow on Invoice {\n    id\n    number\n    status\n    isCreditNote\n    issueDate\n    depositedAt\n    currency\n    supplier {\n      identifier\n      name\n    }\n    recipient {\n      identifier\n      name\n    }\n    totals {\n      withVat\n    }\n  }\n": types.InvoiceRowFragmentDoc,
    "\n  query ReceivedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {\n    workspace {\n      id\n      invoices: receivedInvoices(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...InvoiceRow\n        }\n      }\n    }\n  }\n": types.ReceivedInvoicesDocument,
    "\n  query IssuedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {\n    workspace {\n      id\n      invoices: issuedInvoices(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...InvoiceRow\n        }\n      }\n    }\n  }\n": types.IssuedInvoicesDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Shell {\n    viewer {\n      role\n      user {\n        displayName\n        email\n      }\n      workspaces {\n        identifier\n        identifierType\n        name\n        isPublic\n        role\n        access\n        current\n      }\n    }\n  }\n"): (typeof documents)["\n  query Shell {\n    viewer {\n      role\n      user {\n        displayName\n        email\n      }\n      workspaces {\n        identifier\n        identifierType\n        name\n        isPublic\n        role\n        access\n        current\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InvoiceDetail($id: ID!) {\n    node(id: $id) {\n      ... on Invoice {\n        id\n        number\n        side\n        status\n        typeCode\n        isCreditNote\n        issueDate\n        depositedAt\n        currency\n        frame\n        serviceCode\n        engagementNumber\n        documentName\n        syntax\n        supplier {\n          identifier\n          name\n        }\n        recipient {\n          identifier\n          name\n        }\n        totals {\n          withoutVat\n          vat\n          withVat\n          amountDue\n        }\n        vatBreakdown {\n          category\n          rate\n          taxable\n          tax\n          exemptionReason\n        }\n        lines(first: 100) {\n          totalCount\n          nodes {\n            lineId\n            itemName\n            quantity\n            unit\n            netPrice\n            netAmount\n            vatRate\n            note\n          }\n        }\n        attachments {\n          filename\n          mediaType\n          size\n          kind\n          downloadUrl\n        }\n        downloads {\n          original\n          ubl\n          cii\n          pdf\n        }\n        history {\n          status\n          fromStatus\n          at\n          actor\n          action\n          reason\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query InvoiceDetail($id: ID!) {\n    node(id: $id) {\n      ... on Invoice {\n        id\n        number\n        side\n        status\n        typeCode\n        isCreditNote\n        issueDate\n        depositedAt\n        currency\n        frame\n        serviceCode\n        engagementNumber\n        documentName\n        syntax\n        supplier {\n          identifier\n          name\n        }\n        recipient {\n          identifier\n          name\n        }\n        totals {\n          withoutVat\n          vat\n          withVat\n          amountDue\n        }\n        vatBreakdown {\n          category\n          rate\n          taxable\n          tax\n          exemptionReason\n        }\n        lines(first: 100) {\n          totalCount\n          nodes {\n            lineId\n            itemName\n            quantity\n            unit\n            netPrice\n            netAmount\n            vatRate\n            note\n          }\n        }\n        attachments {\n          filename\n          mediaType\n          size\n          kind\n          downloadUrl\n        }\n        downloads {\n          original\n          ubl\n          cii\n          pdf\n        }\n        history {\n          status\n          fromStatus\n          at\n          actor\n          action\n          reason\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment InvoiceRow on Invoice {\n    id\n    number\n    status\n    isCreditNote\n    issueDate\n    depositedAt\n    currency\n    supplier {\n      identifier\n      name\n    }\n    recipient {\n      identifier\n      name\n    }\n    totals {\n      withVat\n    }\n  }\n"): (typeof documents)["\n  fragment InvoiceRow on Invoice {\n    id\n    number\n    status\n    isCreditNote\n    issueDate\n    depositedAt\n    currency\n    supplier {\n      identifier\n      name\n    }\n    recipient {\n      identifier\n      name\n    }\n    totals {\n      withVat\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReceivedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {\n    workspace {\n      id\n      invoices: receivedInvoices(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...InvoiceRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ReceivedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {\n    workspace {\n      id\n      invoices: receivedInvoices(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...InvoiceRow\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query IssuedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {\n    workspace {\n      id\n      invoices: issuedInvoices(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...InvoiceRow\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query IssuedInvoices($first: Int!, $after: String, $filter: InvoiceFilter) {\n    workspace {\n      id\n      invoices: issuedInvoices(first: $first, after: $after, filter: $filter) {\n        totalCount\n        pageInfo {\n          hasNextPage\n          endCursor\n        }\n        nodes {\n          ...InvoiceRow\n        }\n      }\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;