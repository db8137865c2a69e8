import { Text, Title2 } from '@fluentui/react-components';
import { OfficeErrorCodes } from '../office/host.ts';
import { useLayoutStyles } from './styles.ts';
import { useDocumentTitle } from './useDocumentTitle.ts';

/** Office is missing or we are not inside Outlook. */
export function HostProblem({ code }: { code: number }) {
  useDocumentTitle('Open in Outlook');
  const layout = useLayoutStyles();
  const notLoaded = code === OfficeErrorCodes.notLoaded;
  return (
    <section className={layout.view} aria-labelledby="host-heading">
      <Title2 as="h1" id="host-heading" className={layout.heading}>
        Open this from Outlook
      </Title2>
      <Text as="p" role="alert">
        {notLoaded
          ? 'Outlook’s add-in library could not be loaded from the sign-in service.'
          : 'This page is the Outlook IWA add-in. It works only inside Outlook.'}
      </Text>
      <Text as="p">
        Open an email in Outlook and choose Outlook IWA on the ribbon. If this keeps happening inside Outlook,
        tell your IT admin.
      </Text>
    </section>
  );
}
